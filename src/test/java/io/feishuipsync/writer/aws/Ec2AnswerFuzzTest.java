package io.feishuipsync.writer.aws;


import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpServer;
import io.feishuipsync.fuzz.WriterAnswers;
import io.feishuipsync.writer.PortRange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * EC2's answers, fuzzed: the real AWS SDK (its XML parser and error mapping) reads what a loopback server answers,
 * the fuzzer's status and bytes, for every call of one read and converge of the security group writer. Whatever
 * they are, the writer ends normally or in a {@link WriterException} of one clean line without the secret key.
 * The SDK's own retries are off here (each would wait), and the writer's throttling pauses are not slept.
 */
class Ec2AnswerFuzzTest {

  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final int[] STATUSES = {200, 200, 200, 400, 403, 503};
  static HttpServer server;
  static volatile int status = 200;
  static volatile byte[] body = new byte[0];
  static SecurityGroupWriter writer;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      byte[] b = body;
      ex.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
      ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    });
    server.start();
    Ec2Client ec2 = Ec2Client.builder().region(Region.EU_WEST_1)
        .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE",
            SECRET)))
        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()).apiCallTimeout(Duration.ofSeconds(5)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    writer = new SecurityGroupWriter(List.of("sg-0aaaaaaaaaaaaaaaa"), List.of(new PortRange(443, 443)), "tcp",
        "feishu-ipsync", 60, () -> ec2, d -> { });
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  @FuzzTest(maxDuration = "10s")
  void anyAnswerIsReadOrOneClearError(FuzzedDataProvider data) {
    BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127."));
    status = data.pickValue(STATUSES);
    body = data.consumeRemainingAsBytes();
    WriterAnswers.readAndConverge(writer, body, SECRET);
  }
}
