package io.feishuipsync.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * A Quartz job that is a thin shell around one action of its scheduler's owner (the node's sync, the cluster job):
 * Quartz never runs two at once, in one process or, on the clustered store, in the whole cluster.
 */
@DisallowConcurrentExecution
final class RunJob implements Job {

  private final Runnable action;

  RunJob(Runnable action) {
    this.action = action;
  }

  @Override
  public void execute(JobExecutionContext context) {
    action.run();
  }
}
