package io.feishuipsync.core;

import java.time.Instant;

/**
 * What one source contributed to a run.
 *
 * @param label the source's name ({@code feishu}, {@code lark}, {@code config}, ...)
 * @param state how its entries were obtained
 * @param entries how many it contributed
 * @param fetchedAt when its list was fetched (null for {@code config} and for a source never fetched)
 * @param error why its fetch failed this run, one line, or null
 */
public record SourceReport(String label, State state, int entries, Instant fetchedAt, String error) {

  /** The label of the operator's own entries. */
  public static final String CONFIG = "config";

  /** How a source's entries were obtained in a run. */
  public enum State {
    /** Fetched now. */
    FRESH,
    /** The fetch failed; its last good list was used. */
    STALE,
    /** The fetch failed and there is no last good list. */
    FAILED,
    /** The operator's own entries from the config. */
    CONFIG
  }
}
