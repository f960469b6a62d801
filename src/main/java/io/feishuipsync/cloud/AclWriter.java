package io.feishuipsync.cloud;

import io.feishuipsync.core.ChangeSet;
import io.feishuipsync.core.Holding;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Writer;
import io.feishuipsync.core.WriterException;
import java.util.SortedSet;

/**
 * A load balancer ACL writer whose {@link Writer} methods are the converge of {@link AclEntries}: the cloud's writer
 * supplies only the calls {@link AclEntries.Cloud} asks for.
 */
public interface AclWriter extends Writer, AclEntries.Cloud {

  /** The converge of this writer's ACL. */
  AclEntries entries();

  @Override
  default SortedSet<IpRange> scope(SortedSet<IpRange> desired) {
    return entries().scope(desired);
  }

  @Override
  default void check() throws WriterException {
    entries().check();
  }

  @Override
  default Holding read() throws WriterException {
    return entries().read();
  }

  @Override
  default void apply(SortedSet<IpRange> desired, ChangeSet change) throws WriterException {
    entries().apply(desired);
  }

  @Override
  default void teardown() throws WriterException {
    entries().teardown();
  }
}
