package io.feishuipsync.source.github;

import io.feishuipsync.source.StandIn;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for GitHub's meta API, from its public documentation: {@code GET /meta} answers the published lists
 * ({@code hooks} among them) with an ETag and {@code 304} to a matching {@code If-None-Match} (not counted against the
 * rate limit); 60 requests an hour without a token, 5000 with a valid one, 401 for a wrong one; a used-up limit is
 * {@code 403} with {@code x-ratelimit-remaining: 0} and the reset as epoch seconds.
 */
public final class FakeGithub extends StandIn {

  public static final String TOKEN = "ghp_testTOKENvalue0123456789";

  private List<String> hooks = List.of("192.0.2.0/26", "198.51.100.0/27", "2001:db8:40::/48");
  private int remaining = 60;
  private int remainingWithToken = 5000;

  /** The hooks GitHub publishes from now on. */
  public synchronized FakeGithub hooks(String... cidrs) {
    hooks = List.of(cidrs);
    return this;
  }

  /** How many more requests without a token are allowed this hour. */
  public synchronized FakeGithub remaining(int n) {
    remaining = n;
    return this;
  }

  private String etag() {
    return "W/\"" + Integer.toHexString(hooks.hashCode()) + "\"";
  }

  @Override
  protected synchronized Answer answer(Request r) {
    if (!r.method().equals("GET") || !r.pathAndQuery().equals("/meta")) {
      return Answer.json(404, "{\"message\":\"Not Found\"}");
    }
    String auth = r.headers().get("authorization");
    if (auth != null && !auth.equals("Bearer " + TOKEN)) {
      return Answer.json(401, "{\"message\":\"Bad credentials\"}");
    }
    long reset = Instant.now().getEpochSecond() + 1800;
    if (etag().equals(r.headers().get("if-none-match"))) {
      return new Answer(304, Map.of("ETag", etag()), "");
    }
    int left = auth == null ? remaining : remainingWithToken;
    if (left <= 0) {
      return new Answer(403, Map.of("Content-Type", "application/json", "x-ratelimit-remaining", "0",
          "x-ratelimit-reset", Long.toString(reset)), "{\"message\":\"API rate limit exceeded\"}");
    }
    if (auth == null) {
      remaining--;
    } else {
      remainingWithToken--;
    }
    String list = String.join("\",\"", hooks);
    return new Answer(200, Map.of("Content-Type", "application/json", "ETag", etag(),
        "x-ratelimit-remaining", Integer.toString(left - 1), "x-ratelimit-reset", Long.toString(reset)),
        "{\"verifiable_password_authentication\":false,\"hooks\":[\"" + list + "\"],\"web\":[\"192.0.2.128/25\"],"
            + "\"api\":[\"192.0.2.128/25\"]}");
  }
}
