package io.feishuipsync.cli;

import io.feishuipsync.source.SourceRegistry;
import io.feishuipsync.source.feishu.FeishuSourceType;
import io.feishuipsync.source.file.FileSourceType;
import io.feishuipsync.source.github.GithubSourceType;
import io.feishuipsync.source.stripe.StripeSourceType;
import io.feishuipsync.source.url.UrlSourceType;
import io.feishuipsync.source.wechat.WechatSourceType;
import io.feishuipsync.source.wecom.WecomSourceType;
import java.util.List;

/** Every sender type the daemon knows. Adding a source means adding one line here and nowhere else. */
public final class SourceTypes {

  /** The registry handed to config loading. */
  public static final SourceRegistry ALL = new SourceRegistry(List.of(
      FeishuSourceType.TYPE,
      GithubSourceType.TYPE,
      StripeSourceType.TYPE,
      UrlSourceType.TYPE,
      FileSourceType.TYPE,
      WecomSourceType.TYPE,
      WechatSourceType.TYPE));

  private SourceTypes() {}
}
