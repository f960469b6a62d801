package io.feishuipsync.source.wecom;

import io.feishuipsync.source.CallbackIpCases;
import io.feishuipsync.source.FakeCallbackIpApi;

/** {@code type: wecom} end to end against WeCom's stand-in. */
class WecomCliTest extends CallbackIpCases {

  @Override
  protected FakeCallbackIpApi api() {
    return FakeCallbackIpApi.wecom();
  }

  @Override
  protected String sender(FakeCallbackIpApi api, String secret) {
    return "  - type: wecom\n    name: wecom\n    base_url: " + api.baseUrl() + "\n    corp_id: "
        + FakeCallbackIpApi.ID + "\n    corp_secret: " + secret + "\n";
  }

  @Override
  protected String wrongSecretLine() {
    return "WeCom refused the access token: the corp_secret is wrong";
  }
}
