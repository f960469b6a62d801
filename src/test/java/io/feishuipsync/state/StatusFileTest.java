package io.feishuipsync.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SyncResult;
import io.feishuipsync.core.WriterResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status.json is read back into the values written, in the layout the untyped code wrote, and leniently. */
class StatusFileTest {

  static final String EARLIER = EarlierStatus.JSON;

  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir
  Path dir;

  private static Status earlierValues() {
    Map<String, Status.WriterStatus> writers = new LinkedHashMap<>();
    writers.put("file:/etc/allow", new Status.WriterStatus(T0.plusSeconds(1), WriterResult.Outcome.CHANGED, 3, 1, 0,
        List.of(), null));
    writers.put("nftables:inet/feishu", new Status.WriterStatus(T0.plusSeconds(61), WriterResult.Outcome.FAILED, 3,
        0, 1, List.of("chain hook differs", "foreign rule"), "nft: exit 1: Error: \\u001b[31m"));
    return new Status(new Status.Attempt(T0.plusSeconds(60), SyncResult.Outcome.WRITER_FAILED, 5,
        "writer nftables:inet/feishu failed: nft: \\u001b oops", 56, 1),
        new Status.Success(T0.plusSeconds(1), 3, 1, 0), 1, writers);
  }

  @Test
  void aFileTheEarlierCodeWroteReadsIntoTheSameValues() {
    assertEquals(Optional.of(earlierValues()), StatusFile.read(EARLIER.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theSameValuesAreWrittenByteForByteAsTheEarlierCodeDid() throws IOException {
    assertEquals(EARLIER, new String(StatusFile.bytes(earlierValues()), StandardCharsets.UTF_8));
  }

  @Test
  void twoRunsThroughTheStoreGiveTheEarlierFile() throws IOException {
    StateStore store = new StateStore(dir.resolve("state"));
    SyncResult ok = new SyncResult(SyncResult.Outcome.SUCCESS, "applied 3 entries", 3,
        new TreeSet<>(List.of(IpRange.parse("192.0.2.0/24"))), new TreeSet<>(), true, false,
        List.of(new WriterResult("file:/etc/allow", WriterResult.Outcome.CHANGED, 3, 1, 0, List.of(), null),
            new WriterResult("nftables:inet/feishu", WriterResult.Outcome.UNCHANGED, 3, 0, 0,
                List.of("rule missing"), null)),
        T0, Duration.ofMillis(1234), 2);
    store.saveStatus(Status.after(store.loadStatus(), ok, T0.plusSeconds(1)));
    SyncResult bad = new SyncResult(SyncResult.Outcome.WRITER_FAILED,
        "writer nftables:inet/feishu failed: nft: \\u001b oops", 3, new TreeSet<>(),
        new TreeSet<>(List.of(IpRange.parse("198.51.100.7/32"))), false, false,
        List.of(new WriterResult("file:/etc/allow", WriterResult.Outcome.SKIPPED, 3, 0, 0, List.of(), null),
            new WriterResult("nftables:inet/feishu", WriterResult.Outcome.FAILED, 3, 0, 1,
                List.of("chain hook differs", "foreign rule"), "nft: exit 1: Error: \\u001b[31m")),
        T0.plusSeconds(60), Duration.ofMillis(56), 1);
    store.saveStatus(Status.after(store.loadStatus(), bad, T0.plusSeconds(61)));
    assertEquals(EARLIER, Files.readString(dir.resolve("state/status.json")));
    assertEquals(Optional.of(earlierValues()), store.loadStatus());
  }

  @Test
  void textWrittenIntoTheStoreByAnyoneElseIsEscapedWhenReadBack() {
    String forged = "{\"last_attempt\": {\"time\": \"2024-05-01T10:00:00Z\", \"outcome\": \"success\","
        + " \"message\": \"ok\\n2024-05-01 ERROR forged line\\u001b[31m\\u202e\"},"
        + " \"writers\": {\"w\\u001b]0;x\\u0007\": {\"outcome\": \"failed\", \"drift\": [\"d\\r\"],"
        + " \"error\": \"e\\n\"}}}";
    Status st = StatusFile.read(forged.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertEquals("ok\\n2024-05-01 ERROR forged line\\u001b[31m\\u202e", st.lastAttempt().message());
    String name = st.writers().keySet().iterator().next();
    assertEquals("w\\u001b]0;x\\u0007", name);
    assertEquals(List.of("d\\r"), st.writers().get(name).drift());
    assertEquals("e\\n", st.writers().get(name).error());
  }

  @Test
  void whatIsWrittenIsReadBack() throws IOException {
    Status s = new Status(new Status.Attempt(T0, SyncResult.Outcome.ABANDONED, 1, "stopping \"now\"", 7, 0), null,
        4, Map.of("w", new Status.WriterStatus(T0, WriterResult.Outcome.WOULD_CHANGE, 0, 2, 0, List.of("x"), "é")));
    assertEquals(Optional.of(s), StatusFile.read(StatusFile.bytes(s)));
  }

  @Test
  void missingAndUnknownFieldsReadAsAbsentOrZero() {
    Status s = StatusFile.read(("{\"last_attempt\":{\"outcome\":\"no_such\",\"time\":\"yesterday\",\"new\":[1]},"
        + "\"last_success\":\"x\",\"consecutive_failures\":\"2\",\"future\":{},"
        + "\"writers\":{\"a\":{\"entries\":\"9\"},\"b\":5}}").getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertNull(s.lastAttempt().time());
    assertNull(s.lastAttempt().outcome());
    assertEquals("", s.lastAttempt().message());
    assertNull(s.lastSuccess());
    assertEquals(Optional.empty(), s.lastSuccessTime());
    assertEquals(2, s.consecutiveFailures());
    assertEquals(new Status.WriterStatus(null, null, 9, 0, 0, List.of(), null), s.writers().get("a"));
    assertEquals(new Status.WriterStatus(null, null, 0, 0, 0, List.of(), null), s.writers().get("b"));
  }

  @Test
  void aCorruptFileIsNoStatusAndTheNextRunStartsAfresh() throws IOException {
    for (String corrupt : new String[] {"{\"version\":1,\"last_attem", "[1]", "", "null", "\"text\"", "\0\1"}) {
      assertEquals(Optional.empty(), StatusFile.read(corrupt.getBytes(StandardCharsets.UTF_8)), corrupt);
    }
    StateStore store = new StateStore(dir.resolve("state"));
    store.ensureDir();
    Files.writeString(dir.resolve("state/status.json"), "{\"consecutive_failures\":");
    assertTrue(store.loadStatus().isEmpty());
    SyncResult failed = new SyncResult(SyncResult.Outcome.SOURCE_FAILED, "down", 0, new TreeSet<>(),
        new TreeSet<>(), false, false, List.of(), T0, Duration.ZERO, 1);
    store.saveStatus(Status.after(store.loadStatus(), failed, T0));
    assertEquals(1, store.loadStatus().orElseThrow().consecutiveFailures());
    assertArrayEquals(StatusFile.bytes(store.loadStatus().orElseThrow()),
        Files.readAllBytes(dir.resolve("state/status.json")));
  }
}
