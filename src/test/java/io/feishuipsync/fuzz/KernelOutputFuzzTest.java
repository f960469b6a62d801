package io.feishuipsync.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.exec.CommandResult;
import io.feishuipsync.exec.CommandRunner;
import io.feishuipsync.writer.WriterFixtures;
import java.time.Duration;
import java.util.List;

/**
 * What the kernel tools print, fuzzed: the nftables and iptables writers read their state back through a runner
 * that answers every command ({@code nft -j list ...}, {@code iptables-save}, {@code ipset save}, ...) with the
 * fuzzer's text and a fuzzed exit code. Whatever it is, a read gives a holding of parsed ranges or fails with a
 * {@link WriterException} of one clean line.
 */
class KernelOutputFuzzTest {

  /** Answers each command with the next piece of the input. */
  static CommandRunner answering(FuzzedDataProvider data) {
    return new CommandRunner() {
      @Override
      public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) {
        int exit = data.consumeBoolean() ? 0 : data.consumeInt(0, 255);
        return new CommandResult(argv, exit, data.consumeString(8000), data.consumeString(200));
      }
    };
  }

  static void readBack(String type, String yaml, FuzzedDataProvider data) throws Exception {
    Writer w = WriterFixtures.writer(type, yaml, answering(data));
    try {
      w.check();
      Holding h = w.read();
      for (IpRange r : h.entries()) {
        IpRange.parse(r.toString());
      }
      h.drift().forEach(Lines::oneClearLine);
    } catch (WriterException e) {
      Lines.oneClearLine(e.getMessage());
    }
  }

  @FuzzTest(maxDuration = "10s")
  void nftOutputIsAHoldingOrOneClearError(FuzzedDataProvider data) throws Exception {
    readBack("nftables", "ports: [443]\n", data);
  }

  @FuzzTest(maxDuration = "10s")
  void iptablesAndIpsetOutputIsAHoldingOrOneClearError(FuzzedDataProvider data) throws Exception {
    readBack("iptables", "ports: [443]\n", data);
  }
}
