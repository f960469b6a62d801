package io.feishuipsync.source.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.feishuipsync.source.CallbackIpCases;
import io.feishuipsync.source.FakeCallbackIpApi;
import org.junit.jupiter.api.Test;

/** {@code type: wechat} end to end against the Official Account platform's stand-in. */
class WechatCliTest extends CallbackIpCases {

  @Override
  protected FakeCallbackIpApi api() {
    return FakeCallbackIpApi.wechat();
  }

  @Override
  protected String sender(FakeCallbackIpApi api, String secret) {
    return "  - type: wechat\n    name: wechat\n    base_url: " + api.baseUrl() + "\n    app_id: "
        + FakeCallbackIpApi.ID + "\n    app_secret: " + secret + "\n";
  }

  @Override
  protected String wrongSecretLine() {
    return "WeChat refused the access token: the app_secret is wrong";
  }

  @Test
  void twoHostsShareOneStableTokenInsteadOfInvalidatingEachOther() {
    start();
    cli.synced();
    cli.synced();
    assertEquals(1, api.tokensIssued(), "the stable token is asked for without force_refresh");
  }
}
