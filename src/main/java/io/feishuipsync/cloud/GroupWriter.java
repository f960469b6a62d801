package io.feishuipsync.cloud;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.util.SortedSet;

/**
 * A security group writer whose {@link Writer} methods are the converge of {@link RuleGroups}: the cloud's writer
 * supplies only the calls {@link RuleGroups.Cloud} asks for.
 *
 * @param <G> a group's rules as the cloud reads them
 */
public interface GroupWriter<G extends RuleGroups.Held> extends Writer, RuleGroups.Cloud<G> {

  /** The converge of this writer's groups. */
  RuleGroups<G> groups();

  @Override
  default void check() throws WriterException {
    groups().check();
  }

  @Override
  default Holding read() throws WriterException {
    return groups().read();
  }

  @Override
  default void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    groups().apply(desired);
  }

  @Override
  default void teardown() throws WriterException {
    groups().teardown();
  }
}
