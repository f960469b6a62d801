package io.feishuipsync.sync;

import io.feishuipsync.core.Writer;
import java.util.Set;

/**
 * A writer that takes the addresses of some senders only ({@code writers[].senders}): a run hands it their part of
 * the list ({@link Allowlist#forWriter}), the operator's own entries included; it changes nothing else.
 */
public final class Routed extends Wrapping {

  private final Set<String> senders;

  public Routed(Writer writer, Set<String> senders) {
    super(writer);
    this.senders = Set.copyOf(senders);
  }

  /** The names of the senders whose addresses this writer holds. */
  public Set<String> senders() {
    return senders;
  }
}
