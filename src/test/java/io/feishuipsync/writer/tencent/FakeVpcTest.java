package io.feishuipsync.writer.tencent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fake's signature check is Tencent Cloud's published algorithm, not the SDK's code read back: it reproduces the
 * worked example of the "Signature v3" documentation, and refuses over real HTTP what the service refuses.
 */
class FakeVpcTest {

  final FakeVpc vpc = new FakeVpc();
  final HttpClient http = HttpClient.newHttpClient();

  FakeVpcTest() throws Exception {
    vpc.addGroup("sg-0abc1234");
  }

  @AfterEach
  void close() {
    vpc.close();
  }

  @Test
  void theDocumentationsWorkedExampleGivesItsSignature() {
    // The example of Tencent Cloud's "Signature v3" page: DescribeInstances on cvm, 2019-02-25, its masked key.
    String body = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
    String payloadHash = FakeVpc.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
    assertEquals("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064", payloadHash);
    String canonical = "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
        + "content-type;host\n" + payloadHash;
    assertEquals("2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c",
        FakeVpc.signature("Gu5t9xGARNpq86cd98joQYCN3*******", 1551113065L, "cvm", canonical));
  }

  /** A DescribeSecurityGroupPolicies request signed at {@code timestamp} over {@code signedBody}, sending {@code body}. */
  HttpResponse<String> send(long timestamp, String signedBody, String body) throws Exception {
    URI uri = URI.create(vpc.endpoint() + "/");
    String host = uri.getHost() + ":" + uri.getPort();
    String service = uri.getHost().split("\\.")[0];
    String contentType = "application/json; charset=utf-8";
    String canonical = "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\n\ncontent-type;host\n"
        + FakeVpc.sha256Hex(signedBody.getBytes(StandardCharsets.UTF_8));
    String date = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(Instant.ofEpochSecond(timestamp));
    String auth = "TC3-HMAC-SHA256 Credential=" + FakeVpc.SECRET_ID + "/" + date + "/" + service + "/tc3_request, "
        + "SignedHeaders=content-type;host, Signature="
        + FakeVpc.signature(FakeVpc.SECRET_KEY, timestamp, service, canonical);
    HttpRequest req = HttpRequest.newBuilder(uri).header("Content-Type", contentType).header("Authorization", auth)
        .header("X-TC-Action", "DescribeSecurityGroupPolicies").header("X-TC-Timestamp", Long.toString(timestamp))
        .header("X-TC-Version", "2017-03-12").header("X-TC-Region", FakeVpc.REGION)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRequestSignedAsPublishedIsAnsweredAndAlteredOrStaleOnesAreRefused() throws Exception {
    long now = Instant.now().getEpochSecond();
    String body = "{\"SecurityGroupId\":\"sg-0abc1234\"}";
    assertTrue(send(now, body, body).body().contains("\"Version\":\"1\""), "a valid request is answered");
    assertTrue(send(now, body, "{\"SecurityGroupId\":\"sg-0def5678\"}").body()
        .contains("AuthFailure.SignatureFailure"), "a body changed after signing is refused");
    assertTrue(send(now - 600, body, body).body().contains("AuthFailure.SignatureExpire"),
        "a request signed ten minutes ago is refused");
    assertEquals(List.of(), vpc.mutations);
  }
}
