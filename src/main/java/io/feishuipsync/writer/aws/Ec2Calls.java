package io.feishuipsync.writer.aws;

import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;
import io.feishuipsync.writer.CloudRetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * Runs EC2 calls for a writer: retries throttling with backoff, and turns AWS errors into one line that says what to
 * do (the IAM action that is missing, the group that does not exist).
 */
final class Ec2Calls {

  /** The IAM action each call needs, for the message when it is refused. */
  private static final Map<String, String> ACTIONS = Map.of(
      "DescribeSecurityGroupRules", "ec2:DescribeSecurityGroupRules",
      "DescribeSecurityGroups", "ec2:DescribeSecurityGroups",
      "AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupIngress",
      "RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress",
      "DescribeManagedPrefixLists", "ec2:DescribeManagedPrefixLists",
      "GetManagedPrefixListEntries", "ec2:GetManagedPrefixListEntries",
      "ModifyManagedPrefixList", "ec2:ModifyManagedPrefixList");

  static final int MAX_ATTEMPTS = CloudRetry.MAX_ATTEMPTS;

  private final String writer;
  private final Sleeper sleeper;

  Ec2Calls(String writer, Sleeper sleeper) {
    this.writer = writer;
    this.sleeper = sleeper;
  }

  <T> T call(String operation, Supplier<T> call) throws WriterException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (Ec2Exception e) {
        String code = code(e);
        if (isThrottling(code) && attempt < MAX_ATTEMPTS) {
          CloudRetry.pause(sleeper, attempt, writer);
          continue;
        }
        throw new WriterException(writer, describe(operation, e, code), e);
      } catch (SdkClientException e) {
        throw new WriterException(writer, operation + " failed: " + Sanitize.text(e.getMessage())
            + " (check the region, endpoint, network and credentials)", e);
      }
    }
  }

  /**
   * A paginated listing, collected afresh on each attempt: when a page is throttled the listing starts over from the
   * first page into a new list, so no item is counted twice.
   */
  <T> List<T> pages(String operation, Supplier<? extends Iterable<T>> listing) throws WriterException {
    return call(operation, () -> {
      List<T> out = new ArrayList<>();
      listing.get().forEach(out::add);
      return out;
    });
  }

  static String code(Ec2Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
        : e.awsErrorDetails().errorCode();
  }

  static boolean isThrottling(String code) {
    return code.equals("RequestLimitExceeded") || code.equals("Throttling") || code.equals("ThrottlingException");
  }

  /** One line from AWS's answer; its code, message and request id are network text, so sanitized. */
  private static String describe(String operation, Ec2Exception e, String rawCode) {
    String code = Sanitize.text(rawCode, 64);
    String msg = Sanitize.text(e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
    String request = e.requestId() == null ? "" : ", request id " + Sanitize.text(e.requestId(), 128);
    if (code.equals("UnauthorizedOperation") || code.equals("AccessDenied") || code.equals("AuthFailure")) {
      return operation + " was refused (" + code + "): the credentials need the IAM action "
          + ACTIONS.getOrDefault(operation, "ec2:" + operation) + request;
    }
    if (isThrottling(code)) {
      return operation + " is still throttled after " + MAX_ATTEMPTS + " attempts (" + code + ")" + request;
    }
    return operation + " failed: " + code + ": " + msg + request;
  }
}
