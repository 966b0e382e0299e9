{
  "targets": [
    {
      "target_name": "deskline_native",
      "sources": [
        "src/addon.cc",
        "src/bindings/dsp.cc",
        "src/bindings/sphinx.cc",
        "src/bindings/vosk.cc",
        "src/bindings/rtp_socket.cc",
        "src/core/g711.cc",
        "src/core/resampler.cc",
        "src/core/vad.cc",
        "src/core/rtp.cc",
        "src/core/rtp_receive_loop.cc",
        "src/core/sphinx_decoder.cc",
        "src/core/vosk_library.cc"
      ],
      "include_dirs": [
        "<!@(node -p \"require('node-addon-api').include_dir\")",
        "<!@(pkg-config --cflags-only-I pocketsphinx sphinxbase | sed 's/-I//g')"
      ],
      "libraries": [
        "<!@(pkg-config --libs pocketsphinx sphinxbase)",
        "-ldl",
        "-lpthread"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-O2"]
    }
  ]
}
