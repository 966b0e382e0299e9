// Every topic of one box sits under {prefix}/{site}/{appliance}/, so one broker ACL line per box
// bounds what a stolen box credential can touch.

export interface BoxAddress {
  prefix: string;
  site: string;
  appliance: string;
}

export function boxTopics(box: BoxAddress) {
  const base = `${box.prefix}/${box.site}/${box.appliance}`;
  return {
    base,
    status: `${base}/status`,
    telemetry: `${base}/telemetry`,
    events: `${base}/events`,
    commandFilter: `${base}/cmd/+`,
    command: (name: string) => `${base}/cmd/${name}`,
    commandResult: `${base}/cmd-result`,
    /** The command name of a topic under cmd/, or undefined for any other topic. */
    commandName(topic: string): string | undefined {
      return topic.startsWith(`${base}/cmd/`) ? topic.slice(base.length + 5) : undefined;
    },
  };
}

export type BoxTopics = ReturnType<typeof boxTopics>;
