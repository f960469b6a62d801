package io.feishuipsync.writer.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.feishuipsync.core.WriterException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** AWS's error text is network text: it reaches logs and status.json as one escaped, bounded line. */
class Ec2CallsMessagesTest {

  final Ec2Calls calls = new Ec2Calls("aws-sg:sg-1", d -> { });

  String failure(RuntimeException e) {
    WriterException w = assertThrows(WriterException.class, () -> calls.call("AuthorizeSecurityGroupIngress", () -> {
      throw e;
    }));
    assertEquals(1, w.getMessage().lines().count(), w.getMessage());
    assertFalse(w.getMessage().chars().anyMatch(c -> c < 0x20 || c == 0x202e), w.getMessage());
    return w.getMessage();
  }

  @Test
  void anErrorMessageWithNewlinesAndEscapesIsOneEscapedLine() {
    String m = failure(Ec2Exception.builder().requestId("req\u001b[2J")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidParameterValue\n")
            .errorMessage("bad value\nERROR forged line \u001b[31m\u202e" + "x".repeat(10_000)).build()).build());
    assertTrue(m.contains("bad value\\nERROR forged line \\u001b[31m\\u202e"), m);
    assertTrue(m.contains("request id req\\u001b[2J"), m);
    assertTrue(m.length() < 800, m);
  }

  @Test
  void aClientErrorMessageIsEscapedToo() {
    String m = failure(SdkClientException.create("Unable to execute HTTP request:\nforged\u001b[0m"));
    assertTrue(m.contains("request:\\nforged\\u001b[0m"), m);
  }
}
