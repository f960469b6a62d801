package io.feishuipsync.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** What the cloud answer fuzz targets assert of one read and converge of a writer whose cloud answered the fuzzer. */
public final class WriterAnswers {

  private static final SortedSet<IpRange> DESIRED = new TreeSet<>(List.of(IpRange.parse("198.51.100.7"),
      IpRange.parse("203.0.113.0/28")));

  private WriterAnswers() {}

  /**
   * Reads {@code w} and converges it to a small list: it ends normally, with canonical entries and clean drift lines,
   * or in a {@link WriterException} of one clean line without {@code secret}, unless the fuzzer put the secret into
   * {@code answer} itself (an error may quote the answer, sanitized, and the fuzzer learns the secret's text).
   */
  public static void readAndConverge(Writer w, byte[] answer, String secret) {
    boolean secretInAnswer = new String(answer, StandardCharsets.ISO_8859_1).contains(secret);
    try {
      Holding before = w.read();
      before.entries().forEach(r -> assertTrue(r.equals(IpRange.parse(r.toString()))));
      before.drift().forEach(Lines::oneClearLine);
      w.apply(DESIRED, ChangeSet.between(before.entries(), DESIRED));
    } catch (WriterException e) {
      Lines.oneClearLine(e.getMessage());
      assertFalse(!secretInAnswer && e.getMessage().contains(secret), "no secret in: " + e.getMessage());
    }
  }
}
