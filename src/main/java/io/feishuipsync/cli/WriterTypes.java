package io.feishuipsync.cli;

import io.feishuipsync.writer.WriterRegistry;
import io.feishuipsync.writer.aliyun.AliyunAclWriterTypes;
import io.feishuipsync.writer.aliyun.AliyunPrefixListWriterType;
import io.feishuipsync.writer.aliyun.AliyunSecurityGroupWriterType;
import io.feishuipsync.writer.aws.PrefixListWriterType;
import io.feishuipsync.writer.aws.SecurityGroupWriterType;
import io.feishuipsync.writer.dryrun.DryRunWriterType;
import io.feishuipsync.writer.feed.FeedWriterType;
import io.feishuipsync.writer.file.FileWriterType;
import io.feishuipsync.writer.huaweicloud.HuaweiWriterType;
import io.feishuipsync.writer.firewalld.FirewalldWriterType;
import io.feishuipsync.writer.iptables.IptablesWriterType;
import io.feishuipsync.writer.nftables.NftablesWriterType;
import io.feishuipsync.writer.tencent.TencentWriterType;
import io.feishuipsync.writer.volcengine.VolcWriterTypes;
import java.util.List;

/** Every writer type the daemon knows. Adding a writer means adding one line here and nowhere else. */
public final class WriterTypes {

  /** The registry handed to config loading. */
  public static final WriterRegistry ALL = new WriterRegistry(List.of(
      DryRunWriterType.TYPE,
      FileWriterType.TYPE,
      NftablesWriterType.TYPE,
      IptablesWriterType.TYPE,
      SecurityGroupWriterType.TYPE,
      PrefixListWriterType.TYPE,
      AliyunSecurityGroupWriterType.TYPE,
      AliyunPrefixListWriterType.TYPE,
      AliyunAclWriterTypes.ALB,
      AliyunAclWriterTypes.CLB,
      TencentWriterType.TYPE,
      HuaweiWriterType.TYPE,
      VolcWriterTypes.SECURITY_GROUP,
      VolcWriterTypes.CLB_ACL,
      FeedWriterType.TYPE,
      FirewalldWriterType.TYPE));

  private WriterTypes() {}
}
