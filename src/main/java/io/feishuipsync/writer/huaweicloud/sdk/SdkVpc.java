package io.feishuipsync.writer.huaweicloud.sdk;

import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.auth.CredentialProviderChain;
import com.huaweicloud.sdk.core.auth.ICredential;
import com.huaweicloud.sdk.core.exception.SdkException;
import com.huaweicloud.sdk.core.exception.ServiceResponseException;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.vpc.v3.VpcClient;
import com.huaweicloud.sdk.vpc.v3.model.BatchCreateSecurityGroupRulesOption;
import com.huaweicloud.sdk.vpc.v3.model.BatchCreateSecurityGroupRulesRequest;
import com.huaweicloud.sdk.vpc.v3.model.BatchCreateSecurityGroupRulesRequestBody;
import com.huaweicloud.sdk.vpc.v3.model.DeleteSecurityGroupRuleRequest;
import com.huaweicloud.sdk.vpc.v3.model.ListSecurityGroupRulesRequest;
import com.huaweicloud.sdk.vpc.v3.model.ListSecurityGroupRulesResponse;
import com.huaweicloud.sdk.vpc.v3.model.SecurityGroupRule;
import com.huaweicloud.sdk.vpc.v3.model.ShowAddressGroupRequest;
import com.huaweicloud.sdk.vpc.v3.model.UpdateAddressGroupOption;
import com.huaweicloud.sdk.vpc.v3.model.UpdateAddressGroupRequest;
import com.huaweicloud.sdk.vpc.v3.model.UpdateAddressGroupRequestBody;
import io.feishuipsync.cloud.huaweicloud.VpcApi;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link VpcApi} through the official Huawei Cloud SDK ({@code huaweicloud-sdk-vpc}, v3, AK/SK signing). Loaded in
 * the SDK bundle's class loader; every SDK failure leaves here as a {@link VpcApi.Refusal} (an answer of the
 * service) or a {@link VpcApi.Unreachable}.
 */
public final class SdkVpc implements VpcApi {

  /** Rules per ListSecurityGroupRules page. */
  private static final int PAGE = 2000;

  private final Supplier<VpcClient> client;

  /**
   * A client for {@code endpoint} (https://vpc.REGION.myhuaweicloud.com, or a test's) in project {@code projectId},
   * as {@code accessKey} with {@code secretKey}, or, without a key, the SDK's default chain (environment,
   * profile, the ECS metadata service); the chain is asked on the first call, not here.
   */
  public SdkVpc(String endpoint, String projectId, String accessKey, String secretKey) {
    this.client = new Supplier<>() {
      private VpcClient made;

      @Override
      public synchronized VpcClient get() {
        if (made == null) {
          ICredential credential;
          if (accessKey != null) {
            credential = new BasicCredentials().withAk(accessKey).withSk(secretKey).withProjectId(projectId);
          } else {
            ICredential found = CredentialProviderChain.getBasicCredentialProviderChain().getCredentials();
            credential = found instanceof BasicCredentials b ? b.withProjectId(projectId) : found;
          }
          HttpConfig http = HttpConfig.getDefaultHttpConfig().withConnectionTimeout(10).withReadTimeout(30)
              .withIgnoreSSLVerification(false);
          made = VpcClient.newBuilder().withHttpConfig(http).withCredential(credential).withEndpoint(endpoint)
              .build();
        }
        return made;
      }
    };
  }

  @Override
  public List<Rule> rules(String group, int maxPages) throws Refusal, Unreachable {
    List<Rule> out = new ArrayList<>();
    String marker = null;
    for (int page = 0; page < maxPages; page++) {
      ListSecurityGroupRulesRequest req = new ListSecurityGroupRulesRequest().withSecurityGroupId(List.of(group))
          .withLimit(PAGE).withMarker(marker);
      ListSecurityGroupRulesResponse r = call(() -> client.get().listSecurityGroupRules(req));
      List<SecurityGroupRule> got = r.getSecurityGroupRules() == null ? List.of() : r.getSecurityGroupRules();
      for (SecurityGroupRule s : got) {
        if (s == null) {
          continue;
        }
        out.add(new Rule(text(s.getId()), text(s.getDirection()), text(s.getEthertype()), text(s.getProtocol()),
            text(s.getMultiport()), text(s.getRemoteIpPrefix()), text(s.getAction()),
            s.getPriority() == null ? 1 : s.getPriority(), text(s.getDescription())));
      }
      marker = r.getPageInfo() == null ? null : r.getPageInfo().getNextMarker();
      if (marker == null || marker.isEmpty() || got.isEmpty()) {
        return out;
      }
    }
    throw new Unreachable("ListSecurityGroupRules of " + group + " did not end after " + maxPages + " pages", null);
  }

  @Override
  public void create(String group, List<Rule> rules) throws Refusal, Unreachable {
    List<BatchCreateSecurityGroupRulesOption> options = rules.stream().map(r -> new BatchCreateSecurityGroupRulesOption()
        .withDirection(r.direction()).withEthertype(r.ethertype()).withProtocol(r.protocol())
        .withMultiport(r.multiport()).withRemoteIpPrefix(r.remoteIpPrefix()).withAction(r.action())
        .withPriority(String.valueOf(r.priority())).withDescription(r.description())).toList();
    BatchCreateSecurityGroupRulesRequest req = new BatchCreateSecurityGroupRulesRequest().withSecurityGroupId(group)
        .withBody(new BatchCreateSecurityGroupRulesRequestBody().withSecurityGroupRules(options)
            .withIgnoreDuplicate(true));
    call(() -> client.get().batchCreateSecurityGroupRules(req));
  }

  @Override
  public void delete(String id) throws Refusal, Unreachable {
    call(() -> client.get().deleteSecurityGroupRule(new DeleteSecurityGroupRuleRequest().withSecurityGroupRuleId(id)));
  }

  @Override
  public AddressGroup addressGroup(String id) throws Refusal, Unreachable {
    com.huaweicloud.sdk.vpc.v3.model.AddressGroup g = call(() -> client.get().showAddressGroup(
        new ShowAddressGroupRequest().withAddressGroupId(id))).getAddressGroup();
    if (g == null) {
      throw new Unreachable("ShowAddressGroup answered without an address group", null);
    }
    return new AddressGroup(g.getIpVersion() == null ? 0 : g.getIpVersion(),
        g.getMaxCapacity() == null ? 0 : g.getMaxCapacity(), g.getIpSet() == null ? List.of() : g.getIpSet());
  }

  @Override
  public void setAddresses(String id, List<String> ipSet) throws Refusal, Unreachable {
    call(() -> client.get().updateAddressGroup(new UpdateAddressGroupRequest().withAddressGroupId(id)
        .withBody(new UpdateAddressGroupRequestBody().withAddressGroup(new UpdateAddressGroupOption()
            .withIpSet(ipSet)))));
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  private static <T> T call(Supplier<T> call) throws Refusal, Unreachable {
    try {
      return call.get();
    } catch (ServiceResponseException e) {
      throw new Refusal(e.getHttpStatusCode(), e.getErrorCode(), e.getErrorMsg(), e.getRequestId());
    } catch (SdkException | IllegalArgumentException | IllegalStateException e) {
      throw new Unreachable(said(e), e);
    }
  }

  /** What went wrong on the way: the SDK's words and, beneath them, the first cause's, e.g. a refused connection. */
  private static String said(Throwable e) {
    StringBuilder out = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !out.toString().contains(c.getMessage())) {
        out.append(" (").append(c.getMessage()).append(')');
        break;
      }
    }
    return out.toString();
  }
}
