using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Tests.Flow;

// Issue 12, point 3: the flow tests also run once on PostgreSQL. Each class below inherits every test of the class it
// names and runs it on a fresh PostgreSQL database (FlowTestsOnEitherStore), skipped without a test server
// (CHATOPSMFA_TEST_POSTGRES) and failed without one under CI=true.

/// <summary>The tests of <see cref="FlowTests"/>, on PostgreSQL.</summary>
public sealed class FlowTestsOnPostgreSQL : FlowTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="ActivationFlowTests"/>, on PostgreSQL.</summary>
public sealed class ActivationFlowTestsOnPostgreSQL : ActivationFlowTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="ContainmentFlowTests"/>, on PostgreSQL.</summary>
public sealed class ContainmentFlowTestsOnPostgreSQL : ContainmentFlowTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="ExpiryTests"/>, on PostgreSQL.</summary>
public sealed class ExpiryTestsOnPostgreSQL : ExpiryTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="GuardrailTests"/>, on PostgreSQL.</summary>
public sealed class GuardrailTestsOnPostgreSQL : GuardrailTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="OutboxTests"/>, on PostgreSQL.</summary>
public sealed class OutboxTestsOnPostgreSQL : OutboxTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="StepUpFlowTests"/>, on PostgreSQL.</summary>
public sealed class StepUpFlowTestsOnPostgreSQL : StepUpFlowTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="ManagerConfirmationFlowTests"/>, on PostgreSQL.</summary>
public sealed class ManagerConfirmationFlowTestsOnPostgreSQL : ManagerConfirmationFlowTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="WorkerSaveConflictTests"/>, on PostgreSQL.</summary>
public sealed class WorkerSaveConflictTestsOnPostgreSQL : WorkerSaveConflictTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="DirectLineFlowTests"/>, on PostgreSQL.</summary>
public sealed class DirectLineFlowTestsOnPostgreSQL : DirectLineFlowTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}

/// <summary>The tests of <see cref="DirectLineStepUpTests"/>, on PostgreSQL.</summary>
public sealed class DirectLineStepUpTestsOnPostgreSQL : DirectLineStepUpTests
{
    protected override StorageProvider Provider => StorageProvider.PostgreSQL;
}
