package org.mcpplatform.identity;

import com.nimbusds.jose.jwk.RSAKey;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Where the signing key comes from: configuration, or generated once under the data directory and kept. */
class AccessTokenKeysTest {

    static KeyPair configured;
    static KeyPair other;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void keyPairs() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        configured = generator.generateKeyPair();
        other = generator.generateKeyPair();
    }

    private static String privatePem(KeyPair pair) {
        return JwtKeys.pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    private static String publicPem(KeyPair pair) {
        return JwtKeys.pem("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    private TokenProperties pems(String privatePem, String publicPem) {
        return TokenFixtures.keys(dataDir, privatePem, publicPem, null, null);
    }

    @Test
    void aGeneratedKeyIsKeptAndReusedAfterARestart() {
        JwtKeys first = new JwtKeys(TokenFixtures.properties(dataDir));
        IssuedToken before = new AccessTokens(first, TokenFixtures.properties(dataDir))
                .issue("user-1", "alice", Role.DEVELOPER, "session-1");

        JwtKeys afterRestart = new JwtKeys(TokenFixtures.properties(dataDir));

        assertThat(afterRestart.keyId()).isEqualTo(first.keyId());
        assertThat(afterRestart.publicKeys().toJSONObject()).isEqualTo(first.publicKeys().toJSONObject());
        assertThat(new AccessTokens(afterRestart, TokenFixtures.properties(dataDir)).verify(before.value())
                                                                                     .getSubject())
                .isEqualTo("user-1");
        try (var files = Files.list(dataDir.resolve("jwt"))) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly(JwtKeys.KEY_FILE);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aGeneratedKeyIsReadableByItsOwnerOnly() throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        new JwtKeys(TokenFixtures.properties(dataDir));

        Path keyFile = dataDir.resolve("jwt").resolve(JwtKeys.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void aGeneratedKeyIsRsaOf2048BitsAtLeastWithItsThumbprintAsKid() throws Exception {
        JwtKeys keys = new JwtKeys(TokenFixtures.properties(dataDir));

        RSAKey key = keys.publicKeys().getKeys().get(0).toRSAKey();
        assertThat(key.size()).isGreaterThanOrEqualTo(2048);
        assertThat(key.isPrivate()).isFalse();
        assertThat(keys.keyId()).isEqualTo(key.computeThumbprint("SHA-256").toString());
    }

    @Test
    void aConfiguredKeyPairIsUsedAndNothingIsWritten() throws Exception {
        JwtKeys keys = new JwtKeys(pems(privatePem(configured), publicPem(configured)));

        assertThat(keys.publicKeys().getKeys().get(0).toRSAKey().toRSAPublicKey()).isEqualTo(configured.getPublic());
        assertThat(keys.keyId()).isEqualTo(new RSAKey.Builder((java.security.interfaces.RSAPublicKey)
                                                                      configured.getPublic())
                                                   .build().computeThumbprint().toString());
        assertThat(dataDir.resolve("jwt")).doesNotExist();
    }

    @Test
    void pkcs1PemAndEscapedLineBreaksAreAccepted() throws IOException {
        byte[] pkcs1Private = PrivateKeyInfo.getInstance(configured.getPrivate().getEncoded()).parsePrivateKey()
                                            .toASN1Primitive().getEncoded();
        byte[] pkcs1Public = SubjectPublicKeyInfo.getInstance(configured.getPublic().getEncoded())
                                                 .parsePublicKey().getEncoded();
        String privatePem = JwtKeys.pem("RSA PRIVATE KEY", pkcs1Private).replace("\n", "\\n");
        String publicPem = JwtKeys.pem("RSA PUBLIC KEY", pkcs1Public);

        JwtKeys keys = new JwtKeys(pems(privatePem, publicPem));

        assertThat(keys.keyId()).isEqualTo(new JwtKeys(pems(privatePem(configured), publicPem(configured))).keyId());
    }

    @Test
    void theKeysMayComeFromFiles() throws IOException {
        Path privateFile = Files.writeString(dataDir.resolve("private.pem"), privatePem(configured));
        Path publicFile = Files.writeString(dataDir.resolve("public.pem"), publicPem(configured));

        JwtKeys keys = new JwtKeys(TokenFixtures.keys(dataDir, null, null, privateFile.toString(),
                                                      publicFile.toString()));

        assertThat(keys.keyId()).isEqualTo(new JwtKeys(pems(privatePem(configured), publicPem(configured))).keyId());
    }

    @Test
    void halfAKeyPairRefusesToStartNamingTheMissingVariable() {
        assertThatThrownBy(() -> new JwtKeys(pems(privatePem(configured), null)))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class).hasMessageContaining("MCP_JWT_PUBLIC_KEY");
        assertThatThrownBy(() -> new JwtKeys(pems(null, publicPem(configured))))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class).hasMessageContaining("MCP_JWT_PRIVATE_KEY");
        assertThat(dataDir.resolve("jwt")).doesNotExist();
    }

    @Test
    void aPrivateKeyFromTwoPlacesIsRefused() throws IOException {
        Path privateFile = Files.writeString(dataDir.resolve("private.pem"), privatePem(configured));
        assertThatThrownBy(() -> new JwtKeys(TokenFixtures.keys(dataDir, privatePem(configured),
                                                                publicPem(configured), privateFile.toString(), null)))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                .hasMessageContaining("MCP_JWT_PRIVATE_KEY").hasMessageContaining("MCP_JWT_PRIVATE_KEY_FILE");
    }

    @Test
    void halvesOfTwoDifferentPairsAreRefused() {
        assertThatThrownBy(() -> new JwtKeys(pems(privatePem(configured), publicPem(other))))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class).hasMessageContaining("not one key pair");
    }

    @Test
    void keysShorterThan2048BitsAreRefused() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair weak = generator.generateKeyPair();
        assertThatThrownBy(() -> new JwtKeys(pems(privatePem(weak), publicPem(weak))))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class).hasMessageContaining("2048");
    }

    @Test
    void somethingThatIsNotAKeyIsRefusedWithItsVariable() {
        assertThatThrownBy(() -> new JwtKeys(pems("hello", publicPem(configured))))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class).hasMessageContaining("MCP_JWT_PRIVATE_KEY");
        assertThatThrownBy(() -> new JwtKeys(pems(publicPem(configured), publicPem(configured))))
                .isInstanceOf(InvalidConfigurationPropertyValueException.class).hasMessageContaining("MCP_JWT_PRIVATE_KEY");
    }

    @Test
    void aClockSkewAbove30SecondsIsInvalid() {
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
        TokenProperties lenient = new TokenProperties("i", "a", Duration.ofMinutes(15), Duration.ofDays(7),
                                                      Duration.ofSeconds(31), null, null, null, null, "./data",
                                                      Duration.ofSeconds(1));
        Set<ConstraintViolation<TokenProperties>> violations = validator.validate(lenient);
        assertThat(violations).extracting(v -> v.getPropertyPath().toString()).containsExactly("clockSkew");
        assertThat(validator.validate(TokenFixtures.properties(dataDir))).isEmpty();
    }
}
