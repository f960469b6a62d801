package io.feishuipsync.notify;

/** Where an event is sent. Failures are logged by the caller and never change a sync's outcome. */
interface Channel {

  /** A name for logs that reveals no credential (the host of the URL). */
  String name();

  void send(Event e) throws java.io.IOException;
}
