package io.feishuipsync.source;

import java.util.Map;

/**
 * A stand-in for a site that publishes a list as a file at one path (Stripe's, a team's own): the current content
 * with its content type, 404 elsewhere, and, when a token is set, 401 to a request without that bearer token.
 */
public final class PublishedFile extends StandIn {

  private final String path;
  private String body;
  private String contentType;
  private String token;

  public PublishedFile(String path, String body, String contentType) {
    this.path = path;
    this.body = body;
    this.contentType = contentType;
  }

  /** What is published from now on. */
  public synchronized PublishedFile publish(String body) {
    this.body = body;
    return this;
  }

  /** Requires {@code Authorization: Bearer token} from now on. */
  public synchronized PublishedFile token(String token) {
    this.token = token;
    return this;
  }

  @Override
  protected synchronized Answer answer(Request r) {
    if (!r.pathAndQuery().equals(path)) {
      return new Answer(404, Map.of("Content-Type", "text/html"), "<html>not found</html>");
    }
    if (token != null && !("Bearer " + token).equals(r.headers().get("authorization"))) {
      return new Answer(401, Map.of("Content-Type", "text/plain"), "unauthorized");
    }
    return new Answer(200, Map.of("Content-Type", contentType), body);
  }
}
