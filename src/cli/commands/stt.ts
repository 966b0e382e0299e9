import { runSttTranscribe, STT_TRANSCRIBE_HELP } from '../../speech/transcribe-file.ts';
import type { Command } from './command.ts';

export const sttTranscribeCommand: Command = {
  name: 'stt transcribe',
  summary: 'stream a WAV file through the speech engine and print partial/final results (JSON lines)',
  help: STT_TRANSCRIBE_HELP,
  run: (argv) => runSttTranscribe(argv),
};
