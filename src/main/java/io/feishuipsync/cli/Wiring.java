package io.feishuipsync.cli;

import io.feishuipsync.config.Config;
import io.feishuipsync.config.WriterSpec;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.StateStore;
import io.feishuipsync.core.Syncer;
import io.feishuipsync.exec.ProcessCommandRunner;
import io.feishuipsync.feishu.FeishuClient;
import io.feishuipsync.writer.Writer;
import io.feishuipsync.writer.WriterContext;
import java.time.Clock;
import java.util.List;

/** Builds the pipeline from a validated config: Feishu client, state store, writers, syncer. */
final class Wiring implements AutoCloseable {

  final Config config;
  final FeishuClient client;
  final StateStore store;
  final List<Writer> writers;
  final Syncer syncer;

  Wiring(Config config) {
    this.config = config;
    this.client = new FeishuClient(config.feishu(), Sleeper.SYSTEM, Clock.systemUTC());
    this.store = new StateStore(config.stateDir());
    WriterContext ctx = new WriterContext(new ProcessCommandRunner(), config.stateDir(),
        () -> store.loadSnapshot().entries());
    this.writers = config.writers().stream().map((WriterSpec s) -> s.build(ctx)).toList();
    this.syncer = new Syncer(client, store, writers, config.guard(), Clock.systemUTC());
  }

  @Override
  public void close() {
    client.close();
  }
}
