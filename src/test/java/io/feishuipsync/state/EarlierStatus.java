package io.feishuipsync.state;

/** A status.json as the code before the typed {@link Status} wrote it, for the compatibility tests. */
public final class EarlierStatus {

  private EarlierStatus() {}

  /** Written by the code before the typed status (captured from it): a success, then a writer failure. */
  public static final String JSON = """
      {
        "version" : 1,
        "last_attempt" : {
          "time" : "2024-05-01T10:01:00Z",
          "outcome" : "writer_failed",
          "exit_code" : 5,
          "message" : "writer nftables:inet/feishu failed: nft: \\\\u001b oops",
          "duration_ms" : 56,
          "requests" : 1
        },
        "last_success" : {
          "time" : "2024-05-01T10:00:01Z",
          "total" : 3,
          "added" : 1,
          "removed" : 0
        },
        "consecutive_failures" : 1,
        "writers" : {
          "file:/etc/allow" : {
            "time" : "2024-05-01T10:00:01Z",
            "outcome" : "changed",
            "entries" : 3,
            "added" : 1,
            "removed" : 0,
            "drift" : [ ]
          },
          "nftables:inet/feishu" : {
            "time" : "2024-05-01T10:01:01Z",
            "outcome" : "failed",
            "entries" : 3,
            "added" : 0,
            "removed" : 1,
            "drift" : [ "chain hook differs", "foreign rule" ],
            "error" : "nft: exit 1: Error: \\\\u001b[31m"
          }
        }
      }""";
}
