package dev.flowline.stepinvocation;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.flowline.definitions.StepDefinition;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/**
 * AWS Lambda step bindings: {@code Invoke} request-response with the payload (its {@code context.idempotencyKey} is
 * the attempt's key). A function error (the code threw, or timed out inside Lambda), throttling, 5xx and client
 * timeouts are worth another attempt; a refusal (no such function, not allowed) is not. The SDK's own retries are off:
 * attempts are the workflow's, with its backoff.
 */
@ApplicationScoped
public class LambdaStepInvoker implements StepInvoker {

    @ConfigProperty(name = "flowline.steps.lambda.region", defaultValue = "eu-west-1")
    String region;

    @ConfigProperty(name = "flowline.steps.lambda.endpoint-override")
    Optional<URI> endpointOverride;

    /** Static credentials, for a stand-in endpoint; in AWS the default chain (role, environment) is used. */
    @ConfigProperty(name = "flowline.steps.lambda.access-key-id")
    Optional<String> accessKeyId;

    @ConfigProperty(name = "flowline.steps.lambda.secret-access-key")
    Optional<String> secretAccessKey;

    @Inject
    ObjectMapper json;

    private volatile LambdaClient client;

    @Override
    public String bindingType() {
        return StepDefinition.LambdaBinding.TYPE;
    }

    @Override
    public StepResponse invoke(StepDefinition.Binding binding, StepCall call) {
        StepDefinition.LambdaBinding lambda = (StepDefinition.LambdaBinding) binding;
        InvokeResponse response;
        try {
            InvokeRequest.Builder request = InvokeRequest.builder().functionName(lambda.function())
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromByteArray(json.writeValueAsBytes(call.payload())))
                    .overrideConfiguration(c -> c.apiCallTimeout(call.timeout()));
            if (lambda.qualifier() != null) {
                request.qualifier(lambda.qualifier());
            }
            response = client().invoke(request.build());
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            return new StepResponse.Unavailable("Lambda " + lambda.function() + " did not answer within " + call
                    .timeout(), null);
        } catch (LambdaException e) {
            int status = e.statusCode();
            String reason = "Lambda " + lambda.function() + ": " + e.awsErrorDetails().errorCode() + " (HTTP " + status
                    + ")";
            if (status == 429 || status >= 500) {
                return new StepResponse.Unavailable(reason, status == 429 ? Duration.ofSeconds(1) : null);
            }
            return new StepResponse.Invalid(reason);
        } catch (SdkClientException e) {
            return new StepResponse.Unavailable("could not call Lambda " + lambda.function() + ": " + e.getMessage(),
                    null);
        } catch (IOException e) {
            return new StepResponse.Invalid("the payload cannot be written: " + e.getMessage());
        }
        if (response.functionError() != null) {
            return new StepResponse.Unavailable("Lambda " + lambda.function() + " failed (" + response.functionError()
                    + "): " + abbreviate(response.payload() == null ? "" : response.payload().asUtf8String()), null);
        }
        JsonNode body;
        try {
            body = json.readTree(response.payload().asByteArray());
        } catch (IOException | RuntimeException e) {
            return new StepResponse.Invalid("Lambda " + lambda.function() + " answered something that is not JSON");
        }
        return StepResponse.read(body);
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }

    private LambdaClient client() {
        LambdaClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    AwsCredentialsProvider credentials = accessKeyId.isPresent() && secretAccessKey.isPresent()
                            ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId.get(),
                                    secretAccessKey.get()))
                            : DefaultCredentialsProvider.builder().build();
                    LambdaClientBuilder builder = LambdaClient.builder().region(Region.of(region))
                            .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.builder()
                                    // Lambda runs up to 15 minutes; each call's own limit is its apiCallTimeout.
                                    .socketTimeout(java.time.Duration.ofMinutes(15)).build())
                            .overrideConfiguration(c -> c.retryStrategy(s -> s.maxAttempts(1)));
                    endpointOverride.ifPresent(builder::endpointOverride);
                    client = builder.build();
                }
                current = client;
            }
        }
        return current;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
