package org.mcpplatform.identity;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mcpplatform.common.ConflictException;
import org.mcpplatform.common.ForbiddenException;
import org.mcpplatform.common.NotFoundException;
import org.mcpplatform.common.ValidationException;
import org.mcpplatform.messaging.MessagingConfiguration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * Every rule of the UserAccount aggregate and of its registration, one behaviour per test, with the command bus's
 * authorization in front as in production and the credential stores on an in-process MongoDB.
 */
class UserAccountTest {

    private static final String ADA = "7d3c2b1a-1111-4000-8000-000000000001";
    private static final String ROOT = "7d3c2b1a-0000-4000-8000-000000000000";
    private static final String BEN = "7d3c2b1a-2222-4000-8000-000000000002";
    private static final String HASH = "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW";
    private static final String KEY = "k-5f0e8c7a";
    private static final String SECRET_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final Instant EXPIRES = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
    private static final Map<String, Object> AS_ROOT = actor(ROOT, Role.ADMIN);

    private MongoServer mongo;
    private MongoClient client;
    private UserCredentials credentials;
    private ApiKeyCredentials keys;
    private AggregateTestFixture<UserAccount> fixture;
    /** Set by a test to make the command's unit of work roll back after its handler, as a failed append would. */
    private boolean failAppend;

    @BeforeEach
    void setUp() {
        mongo = new MongoServer(new MemoryBackend());
        client = MongoClients.create(mongo.bindAndGetConnectionString());
        MongoDatabase database = client.getDatabase("test");
        fixture = new AggregateTestFixture<>(UserAccount.class);
        UserRules rules = new UserRules(Clock.systemUTC());
        credentials = new UserCredentials(database.getCollection("usercredentials"), fixture.getEventStore(),
                                          Duration.ofMinutes(2), Clock.systemUTC());
        keys = new ApiKeyCredentials(database.getCollection("apikeycredentials"));
        fixture.registerInjectableResource(credentials);
        fixture.registerInjectableResource(keys);
        fixture.registerInjectableResource(rules);
        fixture.registerCommandHandlerInterceptor(new CommandAuthorization());
        fixture.registerCommandHandlerInterceptor((unitOfWork, chain) -> {
            Object result = chain.proceed();
            if (failAppend) {
                throw new IllegalStateException("the append failed");
            }
            return result;
        });
        fixture.registerAnnotatedCommandHandler(new UserRegistration(fixture.getRepository(), credentials, rules));
    }

    @AfterEach
    void tearDown() {
        client.close();
        mongo.shutdownNow();
    }

    private static Map<String, Object> actor(String userId, Role role) {
        return Map.of(ActorMetaData.USER_ID, userId, ActorMetaData.ROLE, role.value());
    }

    private static RegisterUser registration() {
        return new RegisterUser(ADA, "Ada", "ada@example.com", Role.DEVELOPER, HASH);
    }

    private static UserRegistered registered() {
        return new UserRegistered(ADA, "Ada", "ada@example.com", Role.DEVELOPER);
    }

    /** Ada's account as its registration leaves it: events given to the fixture, credentials in the store. */
    private UserRegistered adaRegistered() {
        credentials.claim(ADA, "Ada", "ada@example.com", Role.DEVELOPER, HASH);
        return registered();
    }

    private static IssueApiKey issue(String keyId) {
        return new IssueApiKey(ADA, keyId, "CI", "mcp_5f0e", SECRET_HASH, EXPIRES);
    }

    private static ApiKeyIssued issued(String keyId) {
        return new ApiKeyIssued(ADA, keyId, "CI", "mcp_5f0e", EXPIRES);
    }

    private void storedKey(String keyId) {
        keys.store(keyId, ADA, SECRET_HASH, EXPIRES);
    }

    private UserCredential adaCredential() {
        return credentials.findById(ADA).orElseThrow();
    }

    // registration

    @Test
    void registeringRecordsTheAccountWithoutItsPasswordHash() {
        fixture.givenNoPriorActivity()
               .when(registration(), AS_ROOT)
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(1L)
               .expectEvents(registered());
    }

    @Test
    void registeringStoresTheCredentialsThatLoginReads() {
        fixture.givenNoPriorActivity()
               .when(registration(), AS_ROOT)
               .expectSuccessfulHandlerExecution();
        assertThat(credentials.findByUsername("aDA"))
                .contains(new UserCredential(ADA, "Ada", HASH, Role.DEVELOPER, true));
    }

    @Test
    void registeringReportsEveryInvalidField() {
        fixture.givenNoPriorActivity()
               .when(new RegisterUser(ADA, "-ada", "ada@", null, " "), AS_ROOT)
               .expectException(ValidationException.class)
               .expectExceptionMessage("Request validation failed: 4 field(s) invalid")
               .expectNoEvents();
        assertThat(credentials.count()).isZero();
    }

    @Test
    void aUsernameTakenInAnyCaseIsAConflict() {
        credentials.claim(BEN, "ADA", "ben@example.com", Role.VIEWER, HASH);
        fixture.givenNoPriorActivity()
               .when(registration(), AS_ROOT)
               .expectException(ConflictException.class)
               .expectExceptionMessage(containsString("username already exists"))
               .expectNoEvents();
        assertThat(credentials.findById(ADA)).isEmpty();
    }

    @Test
    void anEmailTakenInAnyCaseIsAConflict() {
        credentials.claim(BEN, "ben", "ADA@example.COM", Role.VIEWER, HASH);
        fixture.givenNoPriorActivity()
               .when(registration(), AS_ROOT)
               .expectException(ConflictException.class)
               .expectExceptionMessage("A user with this email already exists")
               .expectNoEvents();
    }

    @Test
    void aRegistrationThatFailsToAppendReleasesTheUsernameAndEmail() {
        failAppend = true;
        fixture.givenNoPriorActivity()
               .when(registration(), AS_ROOT)
               .expectException(IllegalStateException.class);
        assertThat(credentials.count()).isZero();
    }

    @Test
    void onlyAUserWithUsersCreateMayRegisterAccounts() {
        fixture.givenNoPriorActivity()
               .when(registration(), actor(BEN, Role.DEVELOPER))
               .expectException(ForbiddenException.class)
               .expectNoEvents();
        assertThat(credentials.count()).isZero();
    }

    // roles

    @Test
    void changingTheRoleRecordsItAndLoginSeesItAtOnce() {
        fixture.given(adaRegistered())
               .when(new ChangeRole(ADA, Role.ADMIN), AS_ROOT)
               .expectResultMessagePayload(2L)
               .expectEvents(new RoleChanged(ADA, Role.DEVELOPER, Role.ADMIN));
        assertThat(adaCredential().role()).isEqualTo(Role.ADMIN);
    }

    @Test
    void theRoleTheAccountHasAlreadyChangesNothing() {
        fixture.given(adaRegistered())
               .when(new ChangeRole(ADA, Role.DEVELOPER), AS_ROOT)
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(1L)
               .expectNoEvents();
    }

    @Test
    void aRoleIsRequired() {
        fixture.given(adaRegistered())
               .when(new ChangeRole(ADA, null), AS_ROOT)
               .expectException(ValidationException.class)
               .expectNoEvents();
    }

    @Test
    void aRoleChangeThatFailsToAppendRestoresTheRole() {
        failAppend = true;
        fixture.given(adaRegistered())
               .when(new ChangeRole(ADA, Role.ADMIN), AS_ROOT)
               .expectException(IllegalStateException.class);
        assertThat(adaCredential().role()).isEqualTo(Role.DEVELOPER);
    }

    @Test
    void nobodyChangesTheirOwnRoleNotEvenAnAdmin() {
        fixture.given(adaRegistered())
               .when(new ChangeRole(ADA, Role.VIEWER), actor(ADA, Role.ADMIN))
               .expectException(ForbiddenException.class)
               .expectNoEvents();
        assertThat(adaCredential().role()).isEqualTo(Role.DEVELOPER);
    }

    @Test
    void onlyAUserWithUsersUpdateMayChangeRoles() {
        fixture.given(adaRegistered())
               .when(new ChangeRole(ADA, Role.ADMIN), actor(BEN, Role.DEVELOPER))
               .expectException(ForbiddenException.class)
               .expectNoEvents();
    }

    // deactivation

    @Test
    void deactivatingRecordsItAndLoginRefusesTheAccountAtOnce() {
        fixture.given(adaRegistered())
               .when(new DeactivateUser(ADA), AS_ROOT)
               .expectResultMessagePayload(2L)
               .expectEvents(new UserDeactivated(ADA));
        assertThat(adaCredential().active()).isFalse();
    }

    @Test
    void deactivatingAnInactiveAccountRecordsNothingAndKeepsItInactive() {
        UserRegistered registered = adaRegistered();
        credentials.setActive(ADA, true); // as a crash between the event and the credential could have left it
        fixture.given(registered, new UserDeactivated(ADA))
               .when(new DeactivateUser(ADA), AS_ROOT)
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(2L)
               .expectNoEvents();
        assertThat(adaCredential().active()).isFalse();
    }

    @Test
    void aDeactivationThatFailsToAppendReactivatesTheAccount() {
        failAppend = true;
        fixture.given(adaRegistered())
               .when(new DeactivateUser(ADA), AS_ROOT)
               .expectException(IllegalStateException.class);
        assertThat(adaCredential().active()).isTrue();
    }

    @Test
    void nobodyDeactivatesThemselves() {
        fixture.given(adaRegistered())
               .when(new DeactivateUser(ADA), actor(ADA, Role.ADMIN))
               .expectException(ForbiddenException.class)
               .expectNoEvents();
        assertThat(adaCredential().active()).isTrue();
    }

    // API keys

    @Test
    void issuingAKeyRecordsItWithoutItsSecret() {
        fixture.given(adaRegistered())
               .when(issue(KEY), AS_ROOT)
               .expectResultMessagePayload(2L)
               .expectEvents(issued(KEY));
    }

    @Test
    void issuingAKeyStoresTheHashThatAuthenticationReads() {
        fixture.given(adaRegistered())
               .when(issue(KEY), AS_ROOT)
               .expectSuccessfulHandlerExecution();
        assertThat(keys.find(KEY)).contains(new ApiKeyCredential(KEY, ADA, SECRET_HASH, EXPIRES, null, null));
    }

    @Test
    void anyUserMayIssueKeysToThemselves() {
        fixture.given(adaRegistered())
               .when(issue(KEY), actor(ADA, Role.VIEWER))
               .expectEvents(issued(KEY));
    }

    @Test
    void onlyAUserWithUsersUpdateMayIssueKeysToSomeoneElse() {
        fixture.given(adaRegistered())
               .when(issue(KEY), actor(BEN, Role.DEVELOPER))
               .expectException(ForbiddenException.class)
               .expectNoEvents();
        assertThat(keys.find(KEY)).isEmpty();
    }

    @Test
    void aDeactivatedAccountGetsNoKeys() {
        fixture.given(adaRegistered(), new UserDeactivated(ADA))
               .when(issue(KEY), AS_ROOT)
               .expectException(ConflictException.class)
               .expectNoEvents();
        assertThat(keys.find(KEY)).isEmpty();
    }

    @Test
    void aKeyIdIsIssuedOnlyOnce() {
        storedKey(KEY);
        fixture.given(adaRegistered(), issued(KEY))
               .when(issue(KEY), AS_ROOT)
               .expectException(ConflictException.class)
               .expectNoEvents();
    }

    @Test
    void anInvalidKeyIsRefusedWithEveryInvalidField() {
        IssueApiKey invalid = new IssueApiKey(ADA, KEY, " ", "mcp_5f0e", "", Instant.now().minusSeconds(1));
        fixture.given(adaRegistered())
               .when(invalid, AS_ROOT)
               .expectException(ValidationException.class)
               .expectExceptionMessage("Request validation failed: 3 field(s) invalid")
               .expectNoEvents();
    }

    @Test
    void anIssueThatFailsToAppendDeletesTheStoredKey() {
        failAppend = true;
        fixture.given(adaRegistered())
               .when(issue(KEY), AS_ROOT)
               .expectException(IllegalStateException.class);
        assertThat(keys.find(KEY)).isEmpty();
    }

    @Test
    void revokingAKeyRecordsItAndAuthenticationRefusesItAtOnce() {
        storedKey(KEY);
        fixture.given(adaRegistered(), issued(KEY))
               .when(new RevokeApiKey(ADA, KEY), AS_ROOT)
               .expectResultMessagePayload(3L)
               .expectEvents(new ApiKeyRevoked(ADA, KEY));
        assertThat(keys.find(KEY).orElseThrow().usableAt(Instant.now())).isFalse();
    }

    @Test
    void anyUserMayRevokeTheirOwnKeys() {
        storedKey(KEY);
        fixture.given(adaRegistered(), issued(KEY))
               .when(new RevokeApiKey(ADA, KEY), actor(ADA, Role.VIEWER))
               .expectEvents(new ApiKeyRevoked(ADA, KEY));
    }

    @Test
    void onlyAUserWithUsersUpdateMayRevokeSomeoneElsesKeys() {
        storedKey(KEY);
        fixture.given(adaRegistered(), issued(KEY))
               .when(new RevokeApiKey(ADA, KEY), actor(BEN, Role.DEVELOPER))
               .expectException(ForbiddenException.class)
               .expectNoEvents();
        assertThat(keys.find(KEY).orElseThrow().revokedAt()).isNull();
    }

    @Test
    void aKeyThatIsNotTheAccountsIsNotFound() {
        keys.store("bens-key", BEN, SECRET_HASH, null);
        fixture.given(adaRegistered(), issued(KEY))
               .when(new RevokeApiKey(ADA, "bens-key"), AS_ROOT)
               .expectException(NotFoundException.class)
               .expectNoEvents();
        assertThat(keys.find("bens-key").orElseThrow().revokedAt()).isNull();
    }

    @Test
    void revokingARevokedKeyRecordsNothingAndKeepsItUnusable() {
        storedKey(KEY); // not marked, as a revocation's rollback racing another node's could have left it
        fixture.given(adaRegistered(), issued(KEY), new ApiKeyRevoked(ADA, KEY))
               .when(new RevokeApiKey(ADA, KEY), AS_ROOT)
               .expectSuccessfulHandlerExecution()
               .expectResultMessagePayload(3L)
               .expectNoEvents();
        assertThat(keys.find(KEY).orElseThrow().revokedAt()).isNotNull();
    }

    @Test
    void aRevocationThatFailsToAppendLeavesTheKeyUsable() {
        storedKey(KEY);
        failAppend = true;
        fixture.given(adaRegistered(), issued(KEY))
               .when(new RevokeApiKey(ADA, KEY), AS_ROOT)
               .expectException(IllegalStateException.class);
        assertThat(keys.find(KEY).orElseThrow().usableAt(Instant.now())).isTrue();
    }

    @Test
    void aSnapshotRestoresEverythingTheAccountDecidesWith() {
        UserAccount account = new UserAccount();
        account.on(registered(), 0);
        account.on(new RoleChanged(ADA, Role.DEVELOPER, Role.VIEWER), 1);
        account.on(issued(KEY), 2);
        account.on(issued("k-2"), 3);
        account.on(new ApiKeyRevoked(ADA, "k-2"), 4);
        account.on(new UserDeactivated(ADA), 5);
        Serializer serializer = new MessagingConfiguration().serializer();

        SerializedObject<byte[]> snapshot = serializer.serialize(account, byte[].class);
        UserAccount restored = serializer.deserialize(snapshot);

        assertThat(restored).usingRecursiveComparison().isEqualTo(account);
        assertThat(new String(snapshot.getData(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"k-2\":true", "\"role\":\"viewer\"", "\"active\":false");
    }
}
