package org.sgdsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sgdsim.experiment.UserError;

/**
 * Mutual TLS between real JVMs on loopback: nodes given the keys of one {@code cluster keygen} run a sweep; a node
 * whose certificate comes from another CA, a plain-TCP node and a TLS client without a certificate cannot join,
 * and the sweep's runs.csv is the local one. A node on a reachable address without TLS refuses to start.
 */
class ClusterTlsTest
{
    @TempDir
    Path tmp;

    @Test
    @Tag("slow")
    @Timeout(400)
    void nodesOfOneKeygenRunASweepAndOthersCannotJoin() throws Exception
    {
        final Path sweep = ClusterSweepTest.sweepFile(tmp.resolve("conf"), 2, "8, 64");
        final StringWriter err = new StringWriter();
        final Path local = tmp.resolve("local");
        assertEquals(0, ClusterSweepTest.cli(err, "sweep", sweep.toString(), "--out", local.toString(), "-q",
            "--parallel", "1"), err.toString());
        final Path keys = tmp.resolve("keys");
        final Path other = tmp.resolve("other-ca");
        assertEquals(0, ClusterSweepTest.cli(err, "cluster", "keygen", keys.toString()), err.toString());
        assertEquals(0, ClusterSweepTest.cli(err, "cluster", "keygen", other.toString()), err.toString());

        final int seedPort = ClusterSweepTest.freePort();
        final String join = "127.0.0.1:" + seedPort;
        try (ChildJvms jvms = new ChildJvms(tmp))
        {
            final Process seed = jvms.start("seed", "cluster", "seed", "--set", "cluster.port=" + seedPort,
                "--set", "cluster.tls.dir=" + keys);
            final Process good = jvms.start("good", "cluster", "worker", "--join", join, "--parallel", "1",
                "--set", "cluster.tls.dir=" + keys, "--set", "cluster.worker.dir=" + tmp.resolve("good"));
            final Process foreign = jvms.start("foreign", "cluster", "worker", "--join", join, "--parallel", "1",
                "--set", "cluster.tls.dir=" + other, "--set", "cluster.worker.dir=" + tmp.resolve("foreign"));
            final Process plain = jvms.start("plain", "cluster", "worker", "--join", join, "--parallel", "1",
                "--set", "cluster.worker.dir=" + tmp.resolve("plain"));
            jvms.awaitLine("seed", "is up", seed);
            jvms.awaitLine("good", "is up", good);

            // A TLS client that trusts the cluster CA but presents no certificate is refused in the handshake;
            // the same client with the cluster identity is accepted (the seed then waits for Artery's frames).
            assertThrows(javax.net.ssl.SSLException.class, () -> exchange(keys, false, seedPort));
            assertThrows(SocketTimeoutException.class, () -> exchange(keys, true, seedPort));

            final Path remote = tmp.resolve("remote");
            final StringWriter coordinatorErr = new StringWriter();
            assertEquals(0, ClusterSweepTest.cli(coordinatorErr, "sweep", sweep.toString(), "--out", remote.toString(),
                "-q", "--cluster", join, "--set", "cluster.tls.dir=" + keys), coordinatorErr.toString());
            assertEquals(ClusterSweepTest.deterministic(local.resolve("runs.csv")),
                ClusterSweepTest.deterministic(remote.resolve("runs.csv")));

            for (final String intruder : new String[] {"foreign", "plain"})
            {
                assertFalse(jvms.output(intruder).contains("is up"), intruder + " joined: " + jvms.output(intruder));
                assertTrue(jvms.output(intruder).contains("Couldn't join seed nodes"), jvms.output(intruder));
                assertFalse(Files.exists(tmp.resolve(intruder)), intruder + " ran something");
            }
            assertTrue(foreign.isAlive() && plain.isAlive(), "the intruders keep trying, in vain");
            try (Stream<Path> all = Files.walk(tmp.resolve("good")))
            {
                assertEquals(4, all.filter(p -> p.getFileName().toString().equals("summary.json")).count());
            }
            good.destroy();
            assertTrue(good.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, good.exitValue(), jvms.output("good"));
        }
    }

    /** Opens a TLS connection to the seed, with or without the cluster identity, and reads. */
    private static void exchange(final Path keys, final boolean withIdentity, final int port) throws Exception
    {
        final char[] password = Files.readString(keys.resolve(ClusterKeys.PASSWORD)).strip().toCharArray();
        final TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(keys.resolve(ClusterKeys.TRUST), password));
        KeyManagerFactory kmf = null;
        if (withIdentity)
        {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keys.resolve(ClusterKeys.NODE), password), password);
        }
        final SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket)context.getSocketFactory().createSocket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(3000);
            socket.startHandshake();
            final InputStream in = socket.getInputStream();
            final int b = in.read();
            throw new AssertionError("the seed answered " + b + " without a handshake of its protocol");
        }
    }

    private static KeyStore load(final Path store, final char[] password) throws Exception
    {
        final KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store))
        {
            ks.load(in, password);
        }
        return ks;
    }

    @Test
    @Tag("slow") // 8 keytool JVMs: ~6 s on an idle 2-core machine
    @Timeout(300)
    void keygenMakesACaAndOneIdentityItSignsAndRenewKeepsTheCa() throws Exception
    {
        final Path dir = tmp.resolve("keys");
        final ClusterKeys keys = ClusterKeys.generate(dir, false, 30, "sgdsim");
        final String password = keys.checkedPassword();
        final X509Certificate ca = (X509Certificate)load(dir.resolve(ClusterKeys.TRUST), password.toCharArray())
            .getCertificate("ca");
        final X509Certificate node = keys.nodeCertificate();
        node.verify(ca.getPublicKey());
        assertTrue(ca.getBasicConstraints() >= 0, "the CA is a CA");
        assertEquals(-1, node.getBasicConstraints(), "the node certificate is not");
        final long days = TimeUnit.MILLISECONDS.toDays(node.getNotAfter().getTime() - node.getNotBefore().getTime());
        assertEquals(30, days);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(ClusterKeys.CA))));

        final UserError again = assertThrows(UserError.class, () -> ClusterKeys.generate(dir, false, 30, "sgdsim"));
        assertTrue(again.getMessage().contains("already holds cluster keys"), again.getMessage());
        final X509Certificate renewed = ClusterKeys.generate(dir, true, 60, "sgdsim").nodeCertificate();
        renewed.verify(ca.getPublicKey());
        assertFalse(renewed.getSerialNumber().equals(node.getSerialNumber()), "a new certificate");
        assertEquals(ca, load(dir.resolve(ClusterKeys.TRUST), password.toCharArray()).getCertificate("ca"));
        try (Stream<Path> left = Files.list(dir))
        {
            assertEquals(5, left.count(), "no temporary files left");
        }
    }

    @Test
    @Timeout(60)
    void aNodeOnAReachableAddressWithoutTlsRefusesToStart() throws Exception
    {
        try (ChildJvms jvms = new ChildJvms(tmp))
        {
            final Process seed = jvms.start("seed", "cluster", "seed", "--set", "cluster.host=192.0.2.1");
            assertTrue(seed.waitFor(50, TimeUnit.SECONDS));
            assertEquals(2, seed.exitValue(), jvms.output("seed"));
            final String out = jvms.output("seed").lines().filter(l -> !l.startsWith("WARNING: Using incubator"))
                .reduce("", (a, b) -> a + b + "\n");
            assertEquals("sgdsim: cluster.host / cluster.bind-host 192.0.2.1 is reachable from other machines and "
                + "the cluster has no TLS: give the keys with --set cluster.tls.dir=DIR (make them with `sgdsim "
                + "cluster keygen DIR`), or set cluster.insecure = true on a network you trust\n", out);
        }
        // cluster.insecure lifts the refusal (checked without binding anything).
        assertNull(ClusterSettings.fromUserConfig(ConfigFactory.parseString(
            "cluster { host = \"192.0.2.1\", insecure = true }")).checkTransport());
        assertNull(ClusterSettings.fromUserConfig(ConfigFactory.parseString(
            "cluster { host = \"127.0.0.2\", bind-host = \"localhost\" }")).checkTransport());
    }
}
