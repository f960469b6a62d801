package io.feishuipsync.core;

/** Where the allowlist comes from: Feishu in production, a fake in unit tests. */
public interface AddressSource {

  /** Fetches the complete list; partial or invalid answers throw, never return. */
  SourceList fetch() throws SourceException;
}
