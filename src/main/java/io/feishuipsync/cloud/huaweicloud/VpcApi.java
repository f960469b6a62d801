package io.feishuipsync.cloud.huaweicloud;

import java.util.List;

/**
 * Huawei Cloud's VPC (API v3) as its writer needs it, in this application's own types: the seam between the writer
 * ({@code writer.huaweicloud}) and its SDK side ({@code writer.huaweicloud.sdk.SdkVpc}), which runs the official SDK
 * in the SDK bundle's class loader ({@code cloud.Bundle}). Only these types cross between the two loaders, so they
 * are public and hold no SDK class.
 */
public interface VpcApi {

  /**
   * One security group rule as VPC v3 keeps it.
   *
   * @param id the rule id (empty for a rule to create)
   * @param direction {@code ingress} or {@code egress}
   * @param ethertype {@code IPv4} or {@code IPv6}
   * @param protocol {@code tcp}, {@code udp}, ... or empty for any
   * @param multiport ports as VPC writes them, e.g. {@code 443} or {@code 8000-8100}; empty for all
   * @param remoteIpPrefix the source block, empty when the rule names a group or an address group instead
   * @param action {@code allow} or {@code deny}
   * @param priority 1 (first) .. 100
   * @param description its description, the writer's marker on its own rules
   */
  record Rule(String id, String direction, String ethertype, String protocol, String multiport,
      String remoteIpPrefix, String action, int priority, String description) {}

  /** Every rule of {@code group}, page by page (at most {@code maxPages} pages). */
  List<Rule> rules(String group, int maxPages) throws Refusal, Unreachable;

  /** Creates {@code rules} in {@code group} in one call; a rule the group already holds is skipped. */
  void create(String group, List<Rule> rules) throws Refusal, Unreachable;

  /** Deletes rule {@code id}. */
  void delete(String id) throws Refusal, Unreachable;

  /**
   * An address group as VPC v3 keeps it.
   *
   * @param ipVersion 4 or 6
   * @param maxCapacity how many entries it may hold
   * @param ipSet its entries
   */
  record AddressGroup(int ipVersion, int maxCapacity, List<String> ipSet) {}

  /** Reads address group {@code id}. */
  AddressGroup addressGroup(String id) throws Refusal, Unreachable;

  /** Makes address group {@code id} hold exactly {@code ipSet}, in one call. */
  void setAddresses(String id, List<String> ipSet) throws Refusal, Unreachable;

  /** An answer of the service that refuses the call. */
  final class Refusal extends Exception {

    private final int status;
    private final String code;
    private final String requestId;

    public Refusal(int status, String code, String message, String requestId) {
      super(message);
      this.status = status;
      this.code = code == null ? "" : code;
      this.requestId = requestId;
    }

    public int status() {
      return status;
    }

    public String code() {
      return code;
    }

    public String requestId() {
      return requestId;
    }
  }

  /** No answer: the network, the endpoint, a timeout, or an answer the SDK could not read. */
  final class Unreachable extends Exception {

    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
