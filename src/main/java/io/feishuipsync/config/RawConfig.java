package io.feishuipsync.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The YAML file as written, before validation; every field may be absent. Keys are snake_case. */
record RawConfig(
    JsonNode feishu,
    Schedule schedule,
    String stateDir,
    Guard guard,
    Validation validation,
    Logging logging,
    Metrics metrics,
    @JsonProperty("notify") Notify notifications,
    Cluster cluster,
    List<JsonNode> senders,
    List<JsonNode> writers,
    List<String> alsoAllow,
    Removal removal,
    Sources sources,
    Enforce enforce) {

  /** A writer's {@code also_allow}: a list of strings, read apart from the writer type's own settings. */
  record OwnEntries(List<String> entries) {

    @com.fasterxml.jackson.annotation.JsonCreator(mode = com.fasterxml.jackson.annotation.JsonCreator.Mode.DELEGATING)
    OwnEntries {
    }
  }

  record Removal(Integer confirmations, String grace) {}

  record Enforce(String interval, String beforeFirstList) {}

  record Sources(String maxAge) {}

  record Schedule(String interval, String cron, Boolean runOnStart, String retryAfter) {}

  record Guard(Integer minEntries, Double maxRemovalRatio, Long maxAddedV4Addresses, Long maxAddedV6Networks) {}

  record Validation(Integer minPrefixV4, Integer minPrefixV6, List<String> allowSpecial) {}

  record Logging(String format, String level) {}

  record Metrics(String listen, String textfile, Boolean allowSharedDirectory) {}

  record Notify(Channel feishuBot, Channel webhook, Integer failuresBeforeAlert, String minInterval) {}

  record Channel(String url, String secret, String secretFile) {}

  record Cluster(String jdbcUrl, String username, String password, String passwordFile, String nodeId,
      String checkinInterval) {}
}
