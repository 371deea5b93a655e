namespace ChatOpsMfa.Arazzo.Tests;

internal static class Fixtures
{
    public const string PetStoreOpenApi = """
        openapi: 3.0.3
        info: { title: Pets, version: 1.0.0 }
        servers:
          - url: https://pets.example.test/v1
        paths:
          /pets:
            get:
              operationId: listPets
              responses: { '200': { description: ok } }
            post:
              operationId: createPet
              responses: { '201': { description: created } }
          /pets/{petId}:
            get:
              operationId: getPet
              parameters:
                - { name: petId, in: path, required: true, schema: { type: string } }
              responses: { '200': { description: ok } }
        """;

    /// <summary>A valid document header; append workflows.</summary>
    public const string Header = """
        arazzo: 1.0.1
        info: { title: Test, version: 1.0.0 }
        sourceDescriptions:
          - name: pets
            url: ./petstore.yaml
            type: openapi
        """;

    public static string Document(string workflows) => Header + "\n" + workflows;

    public static string SeedPath { get; } = Path.Combine(ChatOpsMfa.Tests.RepoPaths.Specs, "seed", "okta-reset-and-reenroll-factor.arazzo.yaml");

    public const string MinimalOktaOpenApi = """
        openapi: 3.0.3
        info: { title: Okta subset, version: 1.0.0 }
        servers:
          - url: https://{yourOktaDomain}
            variables:
              yourOktaDomain: { default: subdomain.okta.com }
        paths:
          /api/v1/users/{userId}/lifecycle/reset_factors:
            post:
              operationId: resetFactors
              parameters:
                - { name: userId, in: path, required: true, schema: { type: string } }
              responses: { '200': { description: ok } }
          /api/v1/users/{userId}/factors:
            post:
              operationId: enrollFactor
              parameters:
                - { name: userId, in: path, required: true, schema: { type: string } }
              responses: { '200': { description: ok } }
        """;
}
