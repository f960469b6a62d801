package io.feishuipsync.source.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.SourceException;
import java.util.SortedSet;
import java.util.TreeSet;

/** A sender's list read into addresses: every entry must be an address or CIDR, or the whole list is refused. */
public final class Entries {

  /** More entries than any sender publishes by far; a list this long is a broken or hostile answer. */
  public static final int MAX_ENTRIES = 100_000;

  private Entries() {}

  /** The strings of the JSON array {@code array}; {@code what} names it ({@code GitHub's hooks}) in refusals. */
  public static SortedSet<IpRange> fromJson(JsonNode array, String who, String what) throws SourceException {
    if (array == null || !array.isArray()) {
      throw invalid(who, what + " is missing or not a list");
    }
    if (array.size() > MAX_ENTRIES) {
      throw invalid(who, what + " holds " + array.size() + " entries, more than " + MAX_ENTRIES);
    }
    SortedSet<IpRange> out = new TreeSet<>();
    for (JsonNode e : array) {
      if (!e.isTextual()) {
        throw invalid(who, what + " holds " + Sanitize.text(e.toString(), 60) + ", not an address");
      }
      out.add(parse(e.asText(), who, what));
    }
    return out;
  }

  /** One entry: an address or CIDR, spaces around it ignored. */
  public static IpRange parse(String text, String who, String what) throws SourceException {
    try {
      return IpRange.parse(text.strip());
    } catch (IllegalArgumentException e) {
      throw invalid(who, what + " holds '" + Sanitize.text(text, 60) + "', not an address or CIDR ("
          + Sanitize.text(e.getMessage(), 80) + ")");
    }
  }

  /** A refusal of {@code who}'s answer: nothing is applied. */
  public static SourceException invalid(String who, String why) {
    return new SourceException("invalid answer from " + who + ", nothing applied: " + why, null);
  }
}
