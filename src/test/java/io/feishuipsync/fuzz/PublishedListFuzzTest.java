package io.feishuipsync.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.source.http.ListFormat;
import java.util.SortedSet;

/**
 * Published lists ({@code url} and {@code file} senders, Stripe's file), fuzzed: whatever the bytes, with a list of
 * lines or JSON by a pointer and a field filter, reading gives parsed ranges or one clean line saying why the whole
 * list is refused.
 */
class PublishedListFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anyPublishedListIsAListOrOneClearError(FuzzedDataProvider data) {
    ListFormat format = switch (data.consumeInt(0, 2)) {
      case 0 -> ListFormat.of("lines", null, null, null, null);
      case 1 -> ListFormat.of("json", "/prefixes", null, null, null);
      default -> ListFormat.of("json", "/items", "service", "HOOKS", data.consumeBoolean() ? null : "cidr");
    };
    try {
      SortedSet<IpRange> entries = format.read(data.consumeRemainingAsBytes(), "the list at lists.example");
      for (IpRange r : entries) {
        IpRange.parse(r.toString());
      }
    } catch (SourceException e) {
      Lines.oneClearLine(e.getMessage());
    }
  }
}
