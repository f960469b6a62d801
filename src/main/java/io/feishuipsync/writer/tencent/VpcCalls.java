package io.feishuipsync.writer.tencent;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.vpc.v20170312.VpcClient;
import io.feishuipsync.cloud.Backoff;
import io.feishuipsync.cloud.CloudCalls;
import io.feishuipsync.core.Sanitize;
import io.feishuipsync.core.Sleeper;
import io.feishuipsync.core.WriterException;

/**
 * Runs VPC API calls for a writer: retries throttling with backoff, and turns Tencent Cloud errors into one line
 * that says what to do (the CAM action that is missing, the credentials that were refused).
 */
final class VpcCalls {

  /** One SDK call. */
  interface Call<T> {
    T run(VpcClient vpc) throws TencentCloudSDKException;
  }

  /** Makes the client, once; the default chain may fail to find credentials. */
  interface Clients {
    VpcClient get() throws TencentCloudSDKException;
  }

  private static final CloudCalls.Service<TencentCloudSDKException> VPC = new CloudCalls.Service<>("VPC",
      TencentCloudSDKException.class, VpcCalls::code, VpcCalls::isThrottling);

  private final String writer;
  private final Clients clients;
  private final CloudCalls<TencentCloudSDKException> calls;
  private VpcClient client;

  VpcCalls(String writer, Clients clients, Sleeper sleeper) {
    this.writer = writer;
    this.clients = clients;
    this.calls = new CloudCalls<>(writer, sleeper, VPC, VpcCalls::describe);
  }

  <T> T call(String action, Call<T> call) throws WriterException {
    VpcClient vpc = client();
    return calls.call(action, () -> call.run(vpc));
  }

  /** The error code of a failed call, "" when the call did not reach the API. */
  static String code(TencentCloudSDKException e) {
    return e.getErrorCode() == null ? "" : e.getErrorCode();
  }

  /** The code of the API error behind {@code e}, "" when there is none. */
  static String code(WriterException e) {
    return e.getCause() instanceof TencentCloudSDKException t ? code(t) : "";
  }

  static boolean isThrottling(String code) {
    return code.equals("RequestLimitExceeded") || code.startsWith("RequestLimitExceeded.");
  }

  /** One line from the API's answer; its code, message and request id are network text, so sanitized. */
  static String describe(String action, TencentCloudSDKException e, String rawCode) {
    String code = Sanitize.text(rawCode, 80);
    String msg = Sanitize.text(e.getMessage());
    String request = e.getRequestId() == null || e.getRequestId().isEmpty() ? ""
        : ", request id " + Sanitize.text(e.getRequestId(), 128);
    if (code.equals("AuthFailure.UnauthorizedOperation") || code.equals("UnauthorizedOperation")
        || code.startsWith("UnauthorizedOperation.")) {
      return action + " was refused (" + code + "): the credentials need the CAM action vpc:" + action + request;
    }
    if (code.startsWith("AuthFailure")) {
      return action + ": the credentials were refused (" + code + "): check secret_id and secret_key (or the"
          + " default credential chain) and the clock" + request;
    }
    if (isThrottling(code)) {
      return action + " is still throttled after " + Backoff.MAX_ATTEMPTS + " attempts (" + code + ")" + request;
    }
    if (code.isEmpty() || code.equals("ServerSideError") || code.equals("ClientSideError")) {
      return action + " failed: " + msg + " (check the region, endpoint, network and credentials)";
    }
    return action + " failed: " + code + ": " + msg + request;
  }

  private VpcClient client() throws WriterException {
    if (client == null) {
      try {
        client = clients.get();
      } catch (TencentCloudSDKException e) {
        throw new WriterException(writer, "no credentials: " + Sanitize.text(e.getMessage()) + "; set secret_id and"
            + " secret_key, or TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, or a profile file, or run on a"
            + " CVM with a CAM role", e);
      }
    }
    return client;
  }
}
