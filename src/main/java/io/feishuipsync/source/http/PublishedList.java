package io.feishuipsync.source.http;

import io.feishuipsync.core.IpRange;
import io.feishuipsync.core.Secret;
import io.feishuipsync.core.SourceException;
import io.feishuipsync.core.SourceList;
import io.feishuipsync.source.Source;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.SortedSet;
import org.apache.hc.client5.http.classic.methods.HttpGet;

/**
 * A list published at one URL, read whole in its format; any answer but a 200 is a failure. The {@code url} sender
 * and the senders that publish a file (Stripe) read theirs so.
 */
public final class PublishedList implements Source {

  private final URI url;
  private final ListFormat format;
  private final Secret token;
  private final Fetcher fetcher;
  private final Clock clock;

  /** The list at {@code url} in {@code format}, asked with {@code token} (or none) through {@code fetcher}. */
  public PublishedList(URI url, ListFormat format, Secret token, Fetcher fetcher, Clock clock) {
    this.url = url;
    this.format = format;
    this.token = token;
    this.fetcher = fetcher;
    this.clock = clock;
  }

  @Override
  public SourceList fetch() throws SourceException {
    return fetcher.fetch(attempts -> {
      Instant begun = clock.instant();
      HttpGet get = new HttpGet(url);
      get.setHeader("Accept", format.json() ? "application/json" : "text/plain, */*;q=0.5");
      if (token != null) {
        get.setHeader("Authorization", "Bearer " + token.reveal());
      }
      Reply r = fetcher.send(get, "the list", attempts, x -> null);
      if (r.status() == 401 || r.status() == 403) {
        throw new SourceException(fetcher.who() + " refused " + (token == null ? "to serve it without a token"
            : "the token") + " (HTTP " + r.status() + "), nothing applied", r.status(), null, null, null, null);
      }
      if (r.status() != 200) {
        throw new SourceException(fetcher.who() + " answered HTTP " + r.status() + ", nothing applied: "
            + r.excerpt(), r.status(), null, null, null, null);
      }
      SortedSet<IpRange> entries = format.read(r.body(), fetcher.who());
      return new SourceList(entries, url.getScheme() + "://" + url.getAuthority() + url.getRawPath(), begun,
          attempts.requests());
    });
  }

  @Override
  public void stop() {
    fetcher.stop();
  }

  @Override
  public void close() {
    fetcher.close();
  }
}
