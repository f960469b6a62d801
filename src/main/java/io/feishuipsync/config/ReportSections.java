package io.feishuipsync.config;

import io.feishuipsync.metrics.MetricsSettings;

/**
 * Reads the {@code metrics} and {@code notify} sections into the settings of the packages that use them; those
 * packages check the values, this class only unwraps the parsed file (so they need not know it).
 */
final class ReportSections {

  private ReportSections() {
  }

  static MetricsSettings metrics(RawConfig.Metrics m) {
    return m == null ? MetricsSettings.OFF : MetricsSettings.from(m.listen(), m.textfile(), m.allowSharedDirectory());
  }
}
