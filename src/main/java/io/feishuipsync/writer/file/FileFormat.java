package io.feishuipsync.writer.file;

import io.feishuipsync.core.IpRange;
import java.util.Optional;
import java.util.SortedSet;

/** How the allowlist is rendered into a file and read back from it. */
enum FileFormat {
  /** One CIDR per line. */
  PLAIN {
    @Override
    String line(IpRange r) {
      return r.toString();
    }

    @Override
    Optional<String> entryText(String line) {
      return Optional.of(line);
    }
  },
  /** {@code allow CIDR;} lines for an nginx {@code include}, closed by {@code deny all;}. */
  NGINX {
    @Override
    String line(IpRange r) {
      return "allow " + r + ";";
    }

    @Override
    String footer() {
      return "deny all;\n";
    }

    @Override
    Optional<String> entryText(String line) {
      if (line.startsWith("allow ") && line.endsWith(";")) {
        return Optional.of(line.substring("allow ".length(), line.length() - 1));
      }
      return Optional.empty();
    }
  };

  // Says "webhook senders": the list may hold GitHub's or WeCom's as well as Feishu's. An older file's header
  // (Feishu alone) is rewritten once.
  static final String HEADER = "# Managed by feishu-ipsync: the addresses webhook senders call back from. Do not"
      + " edit; changes are overwritten.\n";

  abstract String line(IpRange r);

  /** The CIDR text of a rendered entry line, or empty when the line is not one. */
  abstract Optional<String> entryText(String line);

  String footer() {
    return "";
  }

  /** The whole file for {@code entries}. */
  String render(SortedSet<IpRange> entries) {
    StringBuilder sb = new StringBuilder(HEADER);
    for (IpRange r : entries) {
      sb.append(line(r)).append('\n');
    }
    return sb.append(footer()).toString();
  }
}
