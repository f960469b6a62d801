package io.feishuipsync.source.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.feishuipsync.core.ConfigException;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.SourceException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How a published list is written, for the senders nobody wrote a source for ({@code url}, {@code file}): one
 * address per line ({@code #} comments and blank lines aside), or JSON with an RFC 6901 pointer to the array, whose
 * items are addresses, or objects tagged by a field ({@code field} / {@code match}) holding the address in
 * {@code address_field}. Every item the filter keeps must be an address, or the whole list is refused.
 *
 * @param json false for lines
 * @param pointer where the array is (JSON only)
 * @param field the member an object item must have ({@code match} as its value, or among its values), or null
 * @param match the value {@code field} must hold
 * @param addressField the member of an object item that holds its address
 */
public record ListFormat(boolean json, JsonPointer pointer, String field, String match, String addressField) {

  /** Members an object item's address is looked for in, in order, when {@code address_field} is not set. */
  static final List<String> ADDRESS_FIELDS = List.of("cidr", "ip_prefix", "ipv6_prefix", "prefix", "address", "ip");

  /** The format the keys describe; refused (keys relative to the sender) when they do not fit together. */
  public static ListFormat of(String format, String pointer, String field, String match, String addressField) {
    String f = format == null ? "lines" : format;
    if (!f.equals("lines") && !f.equals("json")) {
      throw new ConfigException("format", "'" + f + "' is not one of: lines, json");
    }
    if (f.equals("lines")) {
      for (String[] k : new String[][] {{"pointer", pointer}, {"field", field}, {"match", match},
          {"address_field", addressField}}) {
        if (k[1] != null) {
          throw new ConfigException(k[0], "only for format: json");
        }
      }
      return new ListFormat(false, null, null, null, null);
    }
    if (pointer == null) {
      throw new ConfigException("pointer", "missing; the JSON pointer to the list, e.g. /prefixes");
    }
    JsonPointer p;
    try {
      p = JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("pointer", "'" + pointer + "' is not a JSON pointer (RFC 6901), e.g. /prefixes");
    }
    if ((field == null) != (match == null)) {
      throw new ConfigException(field == null ? "field" : "match", "field and match go together");
    }
    return new ListFormat(true, p, field, match, addressField);
  }

  /** The addresses of {@code body}, from {@code who} (named in refusals). */
  public SortedSet<IpRange> read(byte[] body, String who) throws SourceException {
    return json ? fromJson(body, who) : fromLines(body, who);
  }

  private SortedSet<IpRange> fromLines(byte[] body, String who) throws SourceException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw Entries.invalid(who, "the list is not UTF-8 text");
    }
    SortedSet<IpRange> out = new TreeSet<>();
    int n = 0;
    for (String line : text.split("\\R", -1)) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      if (out.size() >= Entries.MAX_ENTRIES) {
        throw Entries.invalid(who, "the list holds more than " + Entries.MAX_ENTRIES + " entries");
      }
      out.add(Entries.parse(t, who, "line " + n));
    }
    return out;
  }

  private SortedSet<IpRange> fromJson(byte[] body, String who) throws SourceException {
    JsonNode root = new Reply(200, body, java.util.Map.of()).json();
    if (root.isMissingNode()) {
      throw Entries.invalid(who, "the answer is not JSON");
    }
    JsonNode array = root.at(pointer);
    String at = "the list at " + pointer;
    if (!array.isArray()) {
      throw Entries.invalid(who, at + " is missing or not a list");
    }
    if (array.size() > Entries.MAX_ENTRIES) {
      throw Entries.invalid(who, at + " holds " + array.size() + " items, more than " + Entries.MAX_ENTRIES);
    }
    SortedSet<IpRange> out = new TreeSet<>();
    for (JsonNode item : array) {
      if (item.isTextual() && field == null) {
        out.add(Entries.parse(item.asText(), who, at));
      } else if (item.isObject()) {
        if (field != null && !matches(item.get(field))) {
          continue;
        }
        out.add(Entries.parse(address(item, who, at), who, at));
      } else {
        throw Entries.invalid(who, at + " holds " + Sanitize.text(item.toString(), 60) + ", not "
            + (field == null ? "an address or an object" : "an object with " + field));
      }
    }
    return out;
  }

  private boolean matches(JsonNode value) {
    if (value == null) {
      return false;
    }
    if (value.isArray()) {
      for (JsonNode v : value) {
        if (v.isValueNode() && v.asText().equals(match)) {
          return true;
        }
      }
      return false;
    }
    return value.isValueNode() && value.asText().equals(match);
  }

  private String address(JsonNode item, String who, String at) throws SourceException {
    for (String name : addressField != null ? List.of(addressField) : ADDRESS_FIELDS) {
      JsonNode v = item.get(name);
      if (v != null && v.isTextual()) {
        return v.asText();
      }
    }
    throw Entries.invalid(who, at + " holds an item without " + (addressField != null ? addressField
        : "any of " + String.join(", ", ADDRESS_FIELDS)) + ": " + Sanitize.text(item.toString(), 60));
  }
}
