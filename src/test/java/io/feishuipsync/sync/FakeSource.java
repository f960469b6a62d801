package io.feishuipsync.sync;

import io.feishuipsync.core.AddressSource;
import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import java.time.Instant;
import java.util.SortedSet;
import java.util.TreeSet;

/** A source that returns what it is given, or fails as told. */
final class FakeSource implements AddressSource {

  SortedSet<IpRange> list = new TreeSet<>();
  SourceException failure;
  int fetches;

  @Override
  public SourceList fetch() throws SourceException {
    fetches++;
    if (failure != null) {
      throw failure;
    }
    return new SourceList(list, "fake", Instant.parse("2026-11-24T10:00:00Z"), 2);
  }
}
