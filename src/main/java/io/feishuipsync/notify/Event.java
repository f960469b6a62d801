package io.feishuipsync.notify;

import java.util.List;

/**
 * Something people are told about.
 *
 * @param kind {@code changed}, {@code refused}, {@code failing}, {@code recovered}, {@code stale} (a source's
 *     list older than {@code sources.max_age}), {@code cluster_down} or {@code cluster_up}
 * @param text one human line (and for a change, the addresses)
 * @param total entries in the list
 * @param added addresses added (changes only)
 * @param removed addresses removed (changes only)
 * @param consecutiveFailures failed syncs in a row
 */
public record Event(String kind, String text, int total, List<String> added, List<String> removed,
    int consecutiveFailures) {}
