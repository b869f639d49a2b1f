package org.mcpplatform.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RSA key pair that signs access tokens. Configured keys ({@code MCP_JWT_PRIVATE_KEY} / {@code MCP_JWT_PUBLIC_KEY},
 * or their {@code _FILE} variants) are what several nodes share; without them the key is generated once and kept in
 * {@code {dataDir}/jwt/signing-key.pem}, so that tokens survive a restart of the embedded platform. The key id is the
 * key's RFC 7638 thumbprint: the same key always has the same kid, and a new key can never reuse an old one's.
 */
@Component
public class JwtKeys {

    private static final Logger log = LoggerFactory.getLogger(JwtKeys.class);

    static final int MIN_KEY_BITS = 2048;
    static final String KEY_FILE = "signing-key.pem";

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** The keys whose values a wrong key pair is reported under (the failure report names their variables). */
    static final String PRIVATE_KEY = "mcp.tokens.private-key-pem";
    static final String PUBLIC_KEY = "mcp.tokens.public-key-pem";
    private static final String PRIVATE_KEY_FILE = "mcp.tokens.private-key-file";
    private static final String PUBLIC_KEY_FILE = "mcp.tokens.public-key-file";
    /** Stands for the private key in a report, which never holds the key itself. */
    private static final String NOT_SHOWN = "(not shown)";

    private final RSAKey signingKey;

    /** @throws InvalidConfigurationPropertyValueException for a key pair that is configured but unusable */
    public JwtKeys(TokenProperties properties) {
        String privatePem = configured(properties.privateKeyPem(), "MCP_JWT_PRIVATE_KEY",
                                       properties.privateKeyFile(), PRIVATE_KEY_FILE, "MCP_JWT_PRIVATE_KEY_FILE");
        String publicPem = configured(properties.publicKeyPem(), "MCP_JWT_PUBLIC_KEY",
                                      properties.publicKeyFile(), PUBLIC_KEY_FILE, "MCP_JWT_PUBLIC_KEY_FILE");
        if (privatePem == null && publicPem == null) {
            this.signingKey = loadOrGenerate(Path.of(properties.dataDir(), "jwt"));
        } else if (publicPem == null) {
            throw new InvalidConfigurationPropertyValueException(PUBLIC_KEY, null,
                    "MCP_JWT_PUBLIC_KEY (or MCP_JWT_PUBLIC_KEY_FILE) is not set, but the private key is: configure "
                            + "both halves of the key pair, or neither to use the key kept under MCP_DATA_DIR/jwt");
        } else if (privatePem == null) {
            throw new InvalidConfigurationPropertyValueException(PRIVATE_KEY, null,
                    "MCP_JWT_PRIVATE_KEY (or MCP_JWT_PRIVATE_KEY_FILE) is not set, but the public key is: configure "
                            + "both halves of the key pair, or neither to use the key kept under MCP_DATA_DIR/jwt");
        } else {
            this.signingKey = fromConfiguration(privatePem, publicPem);
        }
    }

    /** The signing key, private part included: for {@link AccessTokens} only. */
    RSAKey signingKey() {
        return signingKey;
    }

    public String keyId() {
        return signingKey.getKeyID();
    }

    /** The keys a token may be verified with, public parts only (what /.well-known/jwks.json serves). */
    public JWKSet publicKeys() {
        return new JWKSet(signingKey).toPublicJWKSet();
    }

    private static RSAKey fromConfiguration(String privatePem, String publicPem) {
        RSAPrivateKey privateKey;
        RSAPublicKey publicKey;
        try {
            privateKey = parsePrivateKey(privatePem, "MCP_JWT_PRIVATE_KEY");
        } catch (IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(PRIVATE_KEY, NOT_SHOWN, e.getMessage());
        }
        try {
            publicKey = parsePublicKey(publicPem, "MCP_JWT_PUBLIC_KEY");
        } catch (IllegalStateException e) {
            throw new InvalidConfigurationPropertyValueException(PUBLIC_KEY, publicPem, e.getMessage());
        }
        if (publicKey.getModulus().bitLength() < MIN_KEY_BITS) {
            throw new InvalidConfigurationPropertyValueException(PUBLIC_KEY, publicPem,
                    "MCP_JWT_PUBLIC_KEY is an RSA key of " + publicKey.getModulus().bitLength() + " bits; at least "
                            + MIN_KEY_BITS + " are required");
        }
        if (!isPair(privateKey, publicKey)) {
            throw new InvalidConfigurationPropertyValueException(PUBLIC_KEY, publicPem,
                    "MCP_JWT_PRIVATE_KEY and MCP_JWT_PUBLIC_KEY are not one key pair: tokens signed with the one "
                            + "would not verify with the other");
        }
        return jwk(publicKey, privateKey);
    }

    private static RSAKey loadOrGenerate(Path directory) {
        Path file = directory.resolve(KEY_FILE);
        if (Files.exists(file)) {
            String pem = read(file);
            RSAPrivateKey privateKey = parsePrivateKey(pem, file.toString());
            if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalStateException(file + " holds no public exponent; delete it to generate a new key");
            }
            return jwk(publicKeyOf(crt), crt);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(MIN_KEY_BITS);
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
            writeOwnerOnly(directory, file, pem("PRIVATE KEY", privateKey.getEncoded()));
            RSAKey key = jwk(publicKeyOf(privateKey), privateKey);
            log.info("Generated the access token signing key {} in {}; set MCP_JWT_PRIVATE_KEY and MCP_JWT_PUBLIC_KEY "
                             + "to share one key between several nodes", key.getKeyID(), file.toAbsolutePath());
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key pair", e);
        }
    }

    private static RSAKey jwk(RSAPublicKey publicKey,
                              RSAPrivateKey privateKey) {
        try {
            return new RSAKey.Builder(publicKey)
                    .privateKey(privateKey)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint()
                    .build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot compute the key's thumbprint", e);
        }
    }

    /**
     * Writes the key so that no other user can read it, even for an instant (the permissions are set when the file
     * is created, not after), and so that a crash leaves either no key or the whole key, never a torn file that
     * would stop the next start.
     */
    private static void writeOwnerOnly(Path directory, Path file, String content) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            // the data directory is shared with the stores; only jwt/ under it is closed to others
            Files.createDirectories(directory.toAbsolutePath().getParent());
            if (posix && !Files.isDirectory(directory)) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
            FileAttribute<?>[] ownerOnly = posix
                    ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            Path temporary = Files.createTempFile(directory, KEY_FILE, ".tmp", ownerOnly);
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
                    channel.force(true);
                }
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the signing key to " + file
                                                   + " (set MCP_DATA_DIR to a writable directory, or configure "
                                                   + "MCP_JWT_PRIVATE_KEY and MCP_JWT_PUBLIC_KEY)", e);
        }
    }

    /** The PEM from the variable or the file named by the other one; null when neither is set. */
    private static String configured(String pem, String pemVariable, String file, String fileProperty,
                                     String fileVariable) {
        boolean hasPem = pem != null && !pem.isBlank();
        boolean hasFile = file != null && !file.isBlank();
        if (hasPem && hasFile) {
            throw new InvalidConfigurationPropertyValueException(fileProperty, file,
                    pemVariable + " and " + fileVariable + " are both set: set only one");
        }
        if (hasFile) {
            Path path = Path.of(file.strip());
            if (!Files.isReadable(path)) {
                throw new InvalidConfigurationPropertyValueException(fileProperty, file,
                        fileVariable + " names " + path + ", which is not a readable file");
            }
            return read(path);
        }
        // environment variables often cannot hold line breaks and get "\n" escapes instead
        return hasPem ? pem.replace("\\n", "\n") : null;
    }

    private static RSAPrivateKey parsePrivateKey(String text, String source) {
        Matcher pem = pem(text, source);
        byte[] der = decode(pem, source);
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey key = switch (pem.group(1)) {
                case "PRIVATE KEY" -> rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
                case "RSA PRIVATE KEY" -> {
                    var pkcs1 = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(der);
                    yield rsa.generatePrivate(new RSAPrivateCrtKeySpec(
                            pkcs1.getModulus(), pkcs1.getPublicExponent(), pkcs1.getPrivateExponent(),
                            pkcs1.getPrime1(), pkcs1.getPrime2(), pkcs1.getExponent1(), pkcs1.getExponent2(),
                            pkcs1.getCoefficient()));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalStateException(
                        source + " is encrypted; give the key without a passphrase (protect the variable or file "
                                + "instead)");
                default -> throw new IllegalStateException(
                        source + " is a PEM '" + pem.group(1) + "', not an RSA private key ('PRIVATE KEY' or "
                                + "'RSA PRIVATE KEY')");
            };
            return (RSAPrivateKey) key;
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException(source + " is not a readable RSA private key: " + e.getMessage(), e);
        }
    }

    private static RSAPublicKey parsePublicKey(String text, String source) {
        Matcher pem = pem(text, source);
        byte[] der = decode(pem, source);
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PublicKey key = switch (pem.group(1)) {
                case "PUBLIC KEY" -> rsa.generatePublic(new X509EncodedKeySpec(der));
                case "RSA PUBLIC KEY" -> {
                    var pkcs1 = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
                    yield rsa.generatePublic(new RSAPublicKeySpec(pkcs1.getModulus(), pkcs1.getPublicExponent()));
                }
                default -> throw new IllegalStateException(
                        source + " is a PEM '" + pem.group(1) + "', not an RSA public key ('PUBLIC KEY' or "
                                + "'RSA PUBLIC KEY')");
            };
            return (RSAPublicKey) key;
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException(source + " is not a readable RSA public key: " + e.getMessage(), e);
        }
    }

    private static Matcher pem(String text, String source) {
        Matcher matcher = PEM.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException(source + " is not PEM text (-----BEGIN ...----- ... -----END ...-----)");
        }
        return matcher;
    }

    private static byte[] decode(Matcher pem, String source) {
        try {
            return Base64.getMimeDecoder().decode(pem.group(2).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " holds invalid base64: " + e.getMessage(), e);
        }
    }

    private static boolean isPair(RSAPrivateKey privateKey,
                                  RSAPublicKey publicKey) {
        try {
            byte[] probe = "mcp-platform key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static RSAPublicKey publicKeyOf(RSAPrivateCrtKey privateKey) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the public key", e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
