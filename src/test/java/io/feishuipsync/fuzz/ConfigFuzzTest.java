package io.feishuipsync.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.feishuipsync.cli.SourceTypes;
import io.feishuipsync.cli.WriterTypes;
import io.feishuipsync.config.ConfigLoader;
import io.feishuipsync.core.ConfigException;
import java.nio.file.Path;

/**
 * The config loader, fuzzed: YAML text with environment substitution (the variable's value is the fuzzer's too),
 * prefixed half the time with a valid start so the fuzzer reaches the sections. A config or one {@link
 * ConfigException} of one clean line; nothing else.
 */
class ConfigFuzzTest {

  static final String START = "feishu:\n  app_id: cli_a1b2c3\n  app_secret: ${SECRET}\nwriters:\n";

  @FuzzTest(maxDuration = "10s")
  void anyTextIsAConfigOrOneClearError(FuzzedDataProvider data) {
    String value = data.consumeString(200);
    String text = (data.consumeBoolean() ? START : "") + data.consumeRemainingAsString();
    ConfigLoader loader = new ConfigLoader(WriterTypes.ALL, SourceTypes.ALL, name -> name.equals("SECRET") ? value : null);
    try {
      loader.parse(text, Path.of("/etc/feishu-ipsync/config.yaml"));
    } catch (ConfigException e) {
      Lines.oneClearLine(e.getMessage());
    }
  }
}
