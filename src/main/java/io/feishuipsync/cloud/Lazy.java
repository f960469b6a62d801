package io.feishuipsync.cloud;

/**
 * A cloud client made on first use and then kept, so that a config check needs no credentials and no network.
 *
 * @param <T> the client
 * @param <E> what making it may throw
 */
public final class Lazy<T, E extends Exception> {

  /** Makes the client. */
  @FunctionalInterface
  public interface Maker<T, E extends Exception> {
    T make() throws E;
  }

  private final Maker<T, E> maker;
  private T value;

  public Lazy(Maker<T, E> maker) {
    this.maker = maker;
  }

  /** The client, made now when this is the first use; a failure to make it is tried again at the next use. */
  public T get() throws E {
    if (value == null) {
      value = maker.make();
    }
    return value;
  }
}
