package io.feishuipsync.core;

import java.time.Duration;

/**
 * How the local writers are held to the last applied list between syncs.
 *
 * @param interval how often each local writer is read back and repaired ({@code enforce.interval})
 * @param closedBeforeFirstList when no list has ever been applied and none can be fetched, the local writers hold
 *     only the operator's own entries, so the protected ports are closed ({@code enforce.before_first_list: closed})
 */
public record EnforceSettings(Duration interval, boolean closedBeforeFirstList) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  public static final EnforceSettings DEFAULTS = new EnforceSettings(DEFAULT_INTERVAL, true);
}
