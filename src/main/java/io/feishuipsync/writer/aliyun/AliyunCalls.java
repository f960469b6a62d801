package io.feishuipsync.writer.aliyun;

import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaUnretryableException;
import io.feishuipsync.cloud.Backoff;
import io.feishuipsync.cloud.CloudCalls;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import java.util.Map;
import java.util.Set;

/**
 * Runs the calls of an Alibaba Cloud product (ECS, ALB, SLB) for a writer: retries throttling ({@code Throttling.*},
 * and the codes a product adds, such as ALB's busy ACL) with backoff, and turns the service's answers into one line
 * that says what to do (the RAM action that is missing, the resource that does not exist).
 */
final class AliyunCalls {

  /** One ECS call through the SDK, which declares {@code throws Exception}. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws Exception;
  }

  /** The codes of a refused call: the RAM policy lacks the action, or the caller lacks the permission. */
  private static final Set<String> REFUSED = Set.of("Forbidden.RAM", "NoPermission", "Forbidden",
      "Forbidden.NotAuthorized", "Forbidden.Unauthorized");

  /** The codes of a request the service did not accept as coming from these credentials. */
  private static final Set<String> UNSIGNED = Set.of("SignatureDoesNotMatch", "IncompleteSignature",
      "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.Inactive", "InvalidAccessKeyId");

  /**
   * An Alibaba Cloud product as its calls need it.
   *
   * @param name as messages name it, e.g. {@code ECS}
   * @param ramPrefix the prefix of its RAM actions, e.g. {@code ecs}
   * @param busy codes besides throttling that mean "try again shortly" (a resource another change is still busy
   *     with)
   */
  record Product(String name, String ramPrefix, Set<String> busy) {

    static final Product ECS = new Product("ECS", "ecs", Set.of());
  }

  private final CloudCalls<TeaException> calls;

  AliyunCalls(String writer, Sleeper sleeper, Product product) {
    this.calls = new CloudCalls<>(writer, sleeper, new CloudCalls.Service<>(product.name(), TeaException.class,
        AliyunCalls::code, code -> isThrottling(code) || product.busy().contains(code)), new Failures(product));
  }

  AliyunCalls(String writer, Sleeper sleeper) {
    this(writer, sleeper, Product.ECS);
  }

  /**
   * Runs {@code call}, retrying throttling; a listing of several pages is one call and starts over when a page is
   * throttled, so nothing is counted twice.
   */
  <T> T call(String operation, Call<T> call) throws WriterException {
    return calls.call(operation, call::run);
  }

  /** What went wrong on the way, e.g. {@code Failed to connect to /127.0.0.1:9 (Connection refused)}. */
  private static String network(Exception e) {
    Throwable top = e.getCause() == null ? e : e.getCause();
    Throwable root = top;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String said = top.getMessage() == null ? top.getClass().getSimpleName() : top.getMessage();
    return root != top && root.getMessage() != null ? said + " (" + root.getMessage() + ")" : said;
  }

  static String code(TeaException e) {
    return e.getCode() == null ? "" : e.getCode();
  }

  static boolean isThrottling(String code) {
    return code.equals("Throttling") || code.startsWith("Throttling.");
  }

  /** The product's answers; a failure on the way (no network) or of the client says where to look. */
  private static final class Failures implements CloudCalls.Failures<TeaException> {

    private final Product product;

    Failures(Product product) {
      this.product = product;
    }

    /** One line from the service's answer; its code, message and request id are network text, so sanitized. */
    @Override
    public String describe(String operation, TeaException e, String rawCode) {
      String code = Sanitize.text(rawCode, 64);
      Map<String, Object> data = e.getData() == null ? Map.of() : e.getData();
      Object message = data.getOrDefault("Message", e.getMessage());
      Object requestId = data.get("RequestId");
      String request = requestId == null ? "" : ", request id " + Sanitize.text(String.valueOf(requestId), 128);
      if (REFUSED.contains(rawCode)) {
        return operation + " was refused (" + code + "): the credentials need the RAM action " + product.ramPrefix() + ":"
            + operation
            + request;
      }
      if (UNSIGNED.contains(rawCode)) {
        return operation + " was not accepted (" + code + "): check access_key_id and its secret, or the"
            + " credentials the default chain found" + request;
      }
      if (isThrottling(rawCode) || product.busy().contains(rawCode)) {
        return operation + " is still " + (isThrottling(rawCode) ? "throttled" : "busy") + " after "
            + Backoff.MAX_ATTEMPTS + " attempts (" + code + ")" + request;
      }
      return operation + " failed: " + code + ": " + Sanitize.text(String.valueOf(message)) + request;
    }

    @Override
    public WriterException other(String writer, String operation, Exception e) {
      if (e instanceof TeaUnretryableException) {
        return new WriterException(writer, operation + " failed: " + Sanitize.text(network(e))
            + "; check the region, endpoint and network", e);
      }
      return new WriterException(writer, operation + " failed: " + Sanitize.text(e.getMessage())
          + " (check the region, endpoint, network and credentials)", e);
    }
  }
}
