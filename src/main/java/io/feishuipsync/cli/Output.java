package io.feishuipsync.cli;

/** How a command prints its result. */
enum Output {
  TEXT,
  JSON
}
