package io.feishuipsync.writer.feed;

import io.feishuipsync.core.ConfigException;
import io.feishuipsync.state.SecretFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The feed's TLS identity from the PEM files operators have: a certificate chain and its unencrypted key. */
final class FeedTls {

  private static final Logger log = LoggerFactory.getLogger(FeedTls.class);
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private FeedTls() {}

  /**
   * The feed's TLS identity and the files it came from. {@link #renewed} reloads it when either file changed
   * (a certificate renewed in place, or a symlink pointed at a new one), so a renewal needs no restart.
   */
  static final class Identity {

    private final Path cert;
    private final Path key;
    private volatile SSLContext context;
    private volatile String stamp;
    private volatile String refused;

    /** Loads the identity now; throws {@link ConfigException} when the files cannot be used. */
    Identity(Path cert, Path key) {
      this.cert = cert;
      this.key = key;
      this.stamp = stamp();
      this.context = load(cert, key);
    }

    SSLContext context() {
      return context;
    }

    /**
     * The new context when the files changed since the last load and can be used; null when they did not change or
     * cannot be used (said once per change, in one line: the previous identity goes on serving).
     */
    SSLContext renewed() {
      String now = stamp();
      if (now.equals(stamp) || now.equals(refused)) {
        return null;
      }
      try {
        SSLContext fresh = load(cert, key);
        context = fresh;
        stamp = now;
        refused = null;
        log.info("tls_cert: {} changed; new connections get the renewed certificate", cert);
        return fresh;
      } catch (ConfigException e) {
        refused = now;
        log.warn("tls_cert: {} changed but cannot be used: {}; the previous certificate goes on serving",
            cert, e.getMessage());
        return null;
      }
    }

    /** What identifies both files' contents without reading them: through symlinks, inode, size and time. */
    private String stamp() {
      return stamp(cert) + "|" + stamp(key);
    }

    private static String stamp(Path p) {
      try {
        java.nio.file.attribute.BasicFileAttributes a =
            java.nio.file.Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
        return a.fileKey() + ":" + a.size() + ":" + a.lastModifiedTime().toMillis();
      } catch (java.io.IOException e) {
        return "unreadable";
      }
    }
  }

  /** A server context for {@code cert} (PEM chain, leaf first) and {@code key} (PEM PKCS#8); checked to match. */
  static SSLContext load(Path cert, Path key) {
    List<X509Certificate> chain = chain(cert);
    PrivateKey privateKey = key(key);
    X509Certificate leaf = chain.get(0);
    if (!matches(privateKey, leaf)) {
      throw new ConfigException("tls_key", key + " is not the key of the certificate in " + cert);
    }
    if (leaf.getNotAfter().toInstant().isBefore(Instant.now())) {
      // Refusing would stop the daemon and every writer with it; the firewall that polls will say so too.
      log.warn("tls_cert: {} expired on {}; firewalls will refuse the feed until it is renewed", cert,
          leaf.getNotAfter().toInstant());
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("feed", privateKey, NO_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, NO_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new ConfigException("tls_cert", "cannot use " + cert + " with " + key + ": " + e.getMessage());
    }
  }

  private static List<X509Certificate> chain(Path cert) {
    byte[] pem = SecretFiles.readPublic("tls_cert", cert);
    try {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      if (all.isEmpty()) {
        throw new ConfigException("tls_cert", cert + " holds no PEM certificate");
      }
      return all.stream().map(c -> (X509Certificate) c).toList();
    } catch (CertificateException e) {
      throw new ConfigException("tls_cert", cert + " is not a PEM certificate chain");
    }
  }

  private static PrivateKey key(Path key) {
    String pem = new String(SecretFiles.readSecret("tls_key", key), StandardCharsets.US_ASCII);
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      String hint = pem.contains("ENCRYPTED PRIVATE KEY") ? "is encrypted; the daemon cannot ask for a passphrase"
          : pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY") ? "is not PKCS#8"
          : "holds no PEM private key";
      throw new ConfigException("tls_key", key + " " + hint
          + "; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(1));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("tls_key", key + " holds a damaged PEM private key");
    }
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // Not this algorithm: try the next.
      }
    }
    throw new ConfigException("tls_key", key + " holds a key of a kind the feed cannot use (RSA, EC or EdDSA)");
  }

  /** Signs with the key and verifies with the certificate: the one check that works for every key type. */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] probe = "feishu-ipsync feed".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
