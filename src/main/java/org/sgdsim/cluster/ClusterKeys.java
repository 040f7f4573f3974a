package org.sgdsim.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.sgdsim.experiment.UserError;

/**
 * The key material of a TLS cluster in one folder, made by {@code sgdsim cluster keygen DIR} with the JDK's own
 * {@code keytool}: a private cluster CA ({@code ca.p12}, {@code ca.crt}) and one cluster identity that every node
 * presents ({@code node.p12}: an EC key and its certificate signed by the CA), the trust store holding only that CA
 * ({@code trust.p12}), and the stores' password ({@code password}). A node is admitted when its certificate chains
 * to the CA, so nodes of a batch job need no certificate of their own; no hostname is checked.
 *
 * @param dir the folder.
 */
public record ClusterKeys(Path dir)
{
    /** The CA's key and certificate; only {@code keygen} needs it (to issue or renew node.p12). */
    public static final String CA = "ca.p12";
    /** The CA's certificate, PEM. */
    public static final String CA_CERT = "ca.crt";
    /** The cluster identity every node presents. */
    public static final String NODE = "node.p12";
    /** The CA certificate, the only one a node trusts. */
    public static final String TRUST = "trust.p12";
    /** The password of the three stores. */
    public static final String PASSWORD = "password";

    private static final String ENV = "SGDSIM_KEYSTORE_PASSWORD";

    /** The node key store. */
    public Path nodeStore()
    {
        return dir.resolve(NODE);
    }

    /** The trust store. */
    public Path trustStore()
    {
        return dir.resolve(TRUST);
    }

    /**
     * The stores' password, after checking that the node store holds a key with a certificate and the trust store
     * a certificate; a missing or unreadable file is a one-line {@link UserError} naming it.
     */
    public String checkedPassword()
    {
        final String password = password(dir);
        final KeyStore node = load(nodeStore(), password);
        final KeyStore trust = load(trustStore(), password);
        try
        {
            if (!hasKey(node))
            {
                throw new UserError("cluster.tls.dir " + dir + ": " + NODE + " holds no private key (make the keys "
                    + "with `sgdsim cluster keygen " + dir + "`)");
            }
            if (Collections.list(trust.aliases()).stream().noneMatch(a -> isCertificate(trust, a)))
            {
                throw new UserError("cluster.tls.dir " + dir + ": " + TRUST + " holds no CA certificate");
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new UserError("cluster.tls.dir " + dir + ": cannot read the key stores (" + ex.getMessage() + ")");
        }
        return password;
    }

    /** The node certificate's expiry, for the keygen report. */
    public X509Certificate nodeCertificate()
    {
        final KeyStore node = load(nodeStore(), password(dir));
        try
        {
            for (final String alias : Collections.list(node.aliases()))
            {
                if (node.isKeyEntry(alias))
                {
                    return (X509Certificate)node.getCertificate(alias);
                }
            }
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
        throw new IllegalStateException(NODE + " holds no key");
    }

    /**
     * Makes the keys in {@code dir}: a new CA and cluster identity, or with {@code renew} a new cluster identity
     * signed by the CA already there (nodes holding the old one keep being admitted). The files appear together
     * (written beside, then moved in); an existing folder with keys and no {@code renew}, or {@code renew} without
     * a CA, is a {@link UserError}.
     *
     * @param days validity of the node certificate.
     * @return the keys.
     */
    public static ClusterKeys generate(final Path dir, final boolean renew, final int days, final String clusterName)
    {
        if (days < 1 || days > 36500)
        {
            throw new UserError("--days: expected a number of days in [1, 36500], got " + days);
        }
        final boolean hasCa = Files.exists(dir.resolve(CA));
        if (!renew && (hasCa || Files.exists(dir.resolve(NODE))))
        {
            throw new UserError("cluster keygen " + dir + ": the folder already holds cluster keys; use --renew to "
                + "issue a new node certificate from its CA, or another folder for a new CA");
        }
        if (renew && !hasCa)
        {
            throw new UserError("cluster keygen --renew " + dir + ": no " + CA + " there to sign with");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw new UserError("cluster keygen " + dir + ": not a folder");
        }
        Path work = null;
        try
        {
            Files.createDirectories(dir);
            work = Files.createTempDirectory(dir, ".keygen");
            Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
            final String password = renew ? password(dir) : newPassword();
            if (renew)
            {
                Files.copy(dir.resolve(CA), work.resolve(CA));
            }
            else
            {
                keytool(work, password, "-genkeypair", "-keystore", CA, "-alias", "ca", "-dname",
                    "CN=sgdsim cluster CA " + clusterName + " " + java.time.LocalDate.now(), "-keyalg", "EC",
                    "-groupname", "secp256r1", "-validity", "3650", "-ext", "bc:c=ca:true,pathlen:0",
                    "-ext", "ku:c=keyCertSign,cRLSign");
                write(work.resolve(PASSWORD), password);
            }
            final X509Certificate ca = (X509Certificate)load(work.resolve(CA), password).getCertificate("ca");
            keytool(work, password, "-genkeypair", "-keystore", NODE, "-alias", "node", "-dname",
                "CN=sgdsim cluster node " + clusterName, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", String.valueOf(days));
            keytool(work, password, "-certreq", "-keystore", NODE, "-alias", "node", "-file", "node.csr");
            keytool(work, password, "-gencert", "-rfc", "-keystore", CA, "-alias", "ca", "-infile", "node.csr",
                "-outfile", "node.crt", "-validity", String.valueOf(days), "-ext", "ku:c=digitalSignature",
                "-ext", "eku=serverAuth,clientAuth");
            // The rest with the KeyStore API: each keytool is a JVM start.
            final X509Certificate node;
            try (InputStream in = Files.newInputStream(work.resolve("node.crt")))
            {
                node = (X509Certificate)java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            }
            final KeyStore nodeStore = load(work.resolve(NODE), password);
            final java.security.Key key = nodeStore.getKey("node", password.toCharArray());
            nodeStore.setKeyEntry("node", key, password.toCharArray(), new java.security.cert.Certificate[] {node, ca});
            store(nodeStore, work.resolve(NODE), password);
            if (!renew)
            {
                final KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("ca", ca);
                store(trust, work.resolve(TRUST), password);
                write(work.resolve(CA_CERT), "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64,
                    "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(ca.getEncoded())
                    + "\n-----END CERTIFICATE-----");
            }
            // Into place: the node store last, so that a folder with node.p12 is always complete.
            final List<String> names = new ArrayList<>(renew ? List.of() : List.of(PASSWORD, CA_CERT, TRUST, CA));
            names.add(NODE);
            for (final String name : names)
            {
                Files.setPosixFilePermissions(work.resolve(name), PosixFilePermissions.fromString(
                    name.equals(CA_CERT) ? "rw-r--r--" : "rw-------"));
                Files.move(work.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            }
            return new ClusterKeys(dir);
        }
        catch (final IOException | GeneralSecurityException ex)
        {
            throw new UserError("cluster keygen " + dir + ": " + ex.getMessage());
        }
        finally
        {
            if (work != null)
            {
                deleteTree(work);
            }
        }
    }

    private static void store(final KeyStore ks, final Path file, final String password)
        throws IOException, GeneralSecurityException
    {
        try (java.io.OutputStream out = Files.newOutputStream(file))
        {
            ks.store(out, password.toCharArray());
        }
    }

    private static void keytool(final Path work, final String password, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // a short-lived JVM: the C1 compiler alone starts it sooner
        command.add("-J-XX:TieredStopAtLevel=1");
        command.addAll(List.of(args));
        // The password travels in the environment, never on a command line other users can read.
        command.addAll(List.of("-storetype", "PKCS12", "-storepass:env", ENV));
        if (List.of(args).contains("-genkeypair"))
        {
            command.addAll(List.of("-keypass:env", ENV));
        }
        final ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put(ENV, password);
        final Process p = pb.start();
        final String out;
        try (InputStream in = p.getInputStream())
        {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try
        {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
            {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " failed: " + out.strip().replace('\n', ' '));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", ex);
        }
    }

    private static String password(final Path dir)
    {
        final Path file = dir.resolve(PASSWORD);
        try
        {
            final String password = Files.readString(file).strip();
            if (password.isEmpty())
            {
                throw new UserError("cluster.tls.dir " + dir + ": " + PASSWORD + " is empty");
            }
            return password;
        }
        catch (final IOException ex)
        {
            throw new UserError("cluster.tls.dir " + dir + ": cannot read " + PASSWORD + " (make the keys with "
                + "`sgdsim cluster keygen " + dir + "`)");
        }
    }

    private static KeyStore load(final Path store, final String password)
    {
        try (InputStream in = Files.newInputStream(store))
        {
            final KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        }
        catch (final IOException ex)
        {
            final String why = ex instanceof java.nio.file.NoSuchFileException ? "missing"
                : "not a PKCS12 store opened by the folder's password";
            throw new UserError("cluster.tls.dir " + store.getParent() + ": " + store.getFileName() + " is " + why
                + " (make the keys with `sgdsim cluster keygen DIR`)");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new UserError("cluster.tls.dir " + store.getParent() + ": " + store.getFileName()
                + " cannot be read (" + ex.getMessage() + ")");
        }
    }

    private static boolean hasKey(final KeyStore ks) throws GeneralSecurityException
    {
        for (final String alias : Collections.list(ks.aliases()))
        {
            if (ks.isKeyEntry(alias) && ks.getCertificate(alias) != null)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isCertificate(final KeyStore ks, final String alias)
    {
        try
        {
            return ks.isCertificateEntry(alias);
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    private static String newPassword()
    {
        final byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void write(final Path file, final String text) throws IOException
    {
        Files.writeString(file, text + "\n");
    }

    private static void deleteTree(final Path root)
    {
        try (var all = Files.walk(root))
        {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // a leftover temp folder is harmless
        }
    }
}
