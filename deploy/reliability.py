#!/usr/bin/env python3
"""Writes docs/reliability.md: every promise of the fault-injection suite and the security review, the tests that
prove it, and how those tests fared in the last `mvn verify` (read from target/surefire-reports and
target/failsafe-reports). Run after `bash .ci/run` (or `mvn verify`): python3 deploy/reliability.py"""
import datetime
import glob
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (case, tests): a test is Class#method; a parameterized method counts all its invocations.
CASES = [
    ("Fault injection", None),
    ("`kill -9` of the packaged CLI at 50 random moments of a 3,000-address nftables sync: the kernel and the snapshot "
     "each hold one complete list, no temporary files remain, the next run converges",
     ["FaultInjectionIT#killNineAtRandomMomentsNeverLeavesAMix",
      "StateStoreTest#failureBetweenTempWriteAndRenameLeavesOldSnapshot",
      "StateStoreTest#leftoverTempFileFromACrashIsIgnoredThenRemoved"]),
    ("Links and shared directories, as a run as root meets them: a link planted at the target, at the temporary "
     "name or as a state file is never followed, read or chowned through; a directory another account may write "
     "is refused in one line (owner, mode) unless allow_shared_directory; sticky directories are accepted; a "
     "readable secret file is warned about",
     ["AtomicFilesSecurityTest#aLinkAtTheTargetIsReplacedNotFollowedAndLendsNoOwner",
      "AtomicFilesSecurityTest#aLinkAtTheTemporaryNameOfOlderVersionsIsNeitherFollowedNorRemoved",
      "AtomicFilesSecurityTest#aLinkAlreadyAtTheChosenTemporaryNameFailsTheWriteAndTouchesNothing",
      "AtomicFilesSecurityTest#leftoversAreRegularFilesOfDeadOrStaleWritersOnly",
      "StateStoreSecurityTest#historyThroughALinkIsRefused", "StateStoreSecurityTest#historyWithASecondHardLinkIsRefused",
      "StateStoreSecurityTest#aLockThatIsALinkIsRefusedAndItsTargetNotTruncated",
      "StateStoreSecurityTest#aStateDirectoryOthersMayWriteIsRefusedWithOwnerAndMode",
      "CliSharedDirectoryTest#aWriterDirectoryOthersMayWriteIsRefusedWithOneLineAndNothingChanges",
      "CliSharedDirectoryTest#theSettingsAcceptSharedDirectoriesExplicitly",
      "CliSharedDirectoryTest#aTextfileDirectoryOfAnotherAccountIsSkippedWithAWarningAndTheSyncStillSucceeds",
      "FileWriterSharedDirectoryTest#aStickyWorldWritableDirectoryIsAccepted",
      "CliSecretFileTest#aSecretFileEveryAccountMayReadGivesOneWarningWithItsPathAndMode",
      "CliSecretFileTest#aLinkInADirectoryOthersMayWriteIsNotFollowed"]),
    ("State directory on a full tmpfs: one-line error, exit 1, old snapshot whole, the next run converges",
     ["FaultInjectionIT#fullStateDirectoryFailsClearlyAndTheNextRunConverges"]),
    ("State directory read-only: one-line error before any firewall change, the next run converges",
     ["FaultInjectionIT#readOnlyStateDirectoryFailsBeforeAnyChange"]),
    ("Corrupt, truncated and foreign snapshot files: reported, treated as unknown, replaced after a good apply",
     ["FaultInjectionIT#corruptSnapshotIsReportedAndReplaced",
      "StateStoreTest#corruptTruncatedAndForeignSnapshotsAreUnknownNotFatal",
      "SyncerTest#corruptSnapshotIsReplacedAfterSuccessfulApply",
      "SyncerTest#unusableSnapshotFallsBackToWhatWritersHoldForTheGuard"]),
    ("Hostile Feishu answers through the whole CLI (malformed JSON, missing or malformed `ip_list`, empty list, "
     "looping page token, a hostname, /33, ::/0, an empty string, a space, `;`, wrong secret, missing scope, server "
     "errors): one-line error with its exit code, allowlist and state unchanged, the next normal run converges",
     ["HostileFeishuTest#hostileAnswerChangesNothingAndTheNextRunConverges",
      "FeishuClientTest#malformedJsonIsInvalidAndNotRetried", "FeishuClientTest#missingIpListIsInvalid",
      "FeishuClientTest#nonStringEntryIsInvalid", "IpRangeTest#rejectsAnythingButAStrictAddressOrPrefix",
      "FeishuClientTest#emptyListIsReturnedForTheGuardsToJudge", "PlanTest#emptyListIsRefusedEvenWhenForced",
      "SyncerTest#emptyListIsRefusedAndNothingChanges"]),
    ("Hostile paging: repeated or missing `page_token`, more pages than the cap, bad paging parameter",
     ["FeishuClientTest#repeatedPageTokenIsAnErrorNotALoop", "FeishuClientTest#hasMoreWithoutPageTokenIsAnError",
      "FeishuClientTest#tooManyPagesIsAnError", "FeishuClientTest#invalidPagingParameterIsNotRetried"]),
    ("Tokens and credentials: token rejected mid-listing, rejected twice, wrong secret, missing scope",
     ["FeishuClientTest#tokenExpiringMidListingGetsANewTokenAndRestartsFromPageOne",
      "FeishuClientTest#tokenRejectedTwiceIsAnError", "FeishuClientTest#wrongSecretIsAClearErrorWithoutRetry",
      "FeishuClientTest#missingScopeNamesThePermission", "CliSyncTest#tokenExpiringMidListingStillSucceeds"]),
    ("Rate limits and server errors: waited out, retried with bounded backoff, then a clear error",
     ["FeishuClientTest#rateLimitWaitsAsTheResetHeaderSays", "FeishuClientTest#rateLimitWaitIsBounded",
      "FeishuClientTest#serverErrorThenSuccessIsRetriedWithBackoff",
      "FeishuClientTest#serverErrorForeverGivesUpAfterMaxAttempts", "FeishuClientTest#totalRetryTimeIsBounded",
      "FeishuClientTest#unreachableServerFailsAfterRetries"]),
    ("A list that shrinks by 90%: refused (exit 4), nothing changes, the next normal run converges",
     ["HostileFeishuTest#listShrinkingByNinetyPercentIsRefused", "PlanTest#shrinkBeyondLimitIsRefused"]),
    ("A list of 0.0.0.0/0: invalid (exit 3), nothing changes",
     ["HostileFeishuTest#wholeInternetIsRefused"]),
    ("A list of 100,000 entries: fetched over 2,000 pages and applied",
     ["HostileFeishuTest#hundredThousandEntriesAreApplied", "NftablesWriterIT#tenThousandEntriesApplyInOneTransaction",
      "IptablesWriterIT#tenThousandEntriesApplyInOneRestorePerTool"]),
    ("A 50 MB response body: refused at the size cap (exit 3), nothing changes",
     ["HostileFeishuTest#fiftyMegabyteBodyIsRefused", "FeishuClientTest#oversizedAnswerIsRefused"]),
    ("A 16 MB error body against the packaged launcher (-Xmx96m): read only up to the 1 MiB cap; the daemon survives "
     "and records the failure (status, metrics); a one-shot sync exits 3 with one line",
     ["DaemonHardeningIT#aSixteenMegabyteErrorBodyUnderThePackagedHeapIsAFailureNotACrash",
      "FeishuClientHardeningTest#aSixteenMegabyteChunkedErrorBodyIsRefusedAtTheCap"]),
    ("A run that throws (an Error other than OutOfMemoryError included) is recorded and retried early; the JVM "
     "runs with -XX:+ExitOnOutOfMemoryError",
     ["SyncerUnexpectedTest#anErrorOtherThanOutOfMemoryIsRecordedAsAFailedRun",
      "SyncerUnexpectedTest#outOfMemoryIsLeftToTheJvm", "DaemonUnexpectedTest#aSyncThatThrowsAnErrorIsRetriedEarly"]),
    ("Hostile numbers and shapes through the CLI (wrong JSON types, huge, negative and fractional numbers, NaN "
     "strings, nested garbage, truncated bodies, HTML, enormous headers, absurd token lifetimes and reset headers): "
     "never exit 1, never a class name, nothing changes, the next run converges",
     ["HostileNumbersTest#noAnswerEndsInExitOneOrAClassName",
      "FeishuClientHardeningTest#aTokenLifetimeThatIsNoLifetimeIsRefused",
      "FeishuClientHardeningTest#anAbsurdTokenLifetimeIsClampedToTwoHours",
      "FeishuClientHardeningTest#anUnreadableResetHeaderFallsBackToBackoff",
      "FeishuClientHardeningTest#enormousHeadersAreRefusedWithoutAClassName"]),
    ("An expired `page_token` restarts the listing from page 1 once; if it persists, the error says so",
     ["FeishuClientHardeningTest#anExpiredPageTokenRestartsTheListingFromPageOneOnce",
      "FeishuClientHardeningTest#aPageTokenRefusedAgainAfterTheRestartSaysWhatHappened"]),
    ("A server that never answers: bounded by the timeouts (exit 3), nothing changes",
     ["HostileFeishuTest#serverThatNeverAnswersTimesOut", "FeishuClientTest#serverSlowerThanTheTimeoutFails"]),
    ("`nft`, `iptables`, `ip6tables` or `ipset` missing: a clear error naming the package, before any change",
     ["NftablesWriterIT#missingNftIsAClearErrorBeforeAnyChange",
      "IptablesWriterIT#missingIptablesOrIpsetIsAClearErrorBeforeAnyChange",
      "FileWriterTest#missingOnChangeProgramIsAClearFailure"]),
    ("CAP_NET_ADMIN missing: a clear error before any change; the unit's capabilities are enough",
     ["NftablesWriterIT#missingCapabilityIsAClearErrorBeforeAnyChange",
      "IptablesWriterIT#missingCapabilityIsAClearErrorBeforeAnyChange",
      "PackageIT#syncIntoTheKernelWorksWithOnlyTheUnitsCapabilitiesAndFailsClearlyWithout"]),
    ("Someone else changes the firewall between runs (flush, delete chain or rule, add or delete a member, "
     "destroy a set, revoke an AWS rule): logged as drift and repaired",
     ["FaultInjectionIT#firewallChangedBySomeoneElseIsRepairedAndLogged",
      "NftablesWriterIT#flushedRulesetIsRecreatedOnTheNextRun",
      "NftablesWriterIT#deletedRuleAndDeletedMemberAreRestored",
      "IptablesWriterIT#deletedJumpChainAndMemberAreRestored",
      "IptablesWriterIT#flushedRulesAndDestroyedSetsAreRecreated",
      "AwsWritersIT#ruleRemovedBySomeoneElseIsRestored", "SyncerTest#writerChangedBySomeoneElseIsRepaired"]),
    ("A failing writer: the others keep their change, the snapshot is kept, the next run repairs",
     ["MixedWritersIT#failingAwsWriterLeavesKernelAppliedSnapshotKeptAndIsRepairedNextRun",
      "SyncerTest#failingApplyKeepsSnapshotAndNextRunRepairs", "SyncerTest#failingCheckAppliesNothingAnywhere",
      "NftablesWriterIT#rejectedTransactionLeavesThePreviousSetIntact",
      "IptablesWriterIT#failedIpsetRestoreLeavesTheLiveSetIntact"]),
    ("AWS prefix list: a change that fits is one ModifyManagedPrefixList that adds and removes; a larger one never "
     "takes the list past MaxEntries, each batch names the version the previous call made, a second writer between "
     "batches is detected; a list with no safe order is refused before any change",
     ["PrefixListBatchesTest#changeThatFitsOneCallIsOneCallEvenOnAFullList",
      "PrefixListBatchesTest#moreThanAHundredAdditionsNeverTakeTheListPastItsMaxEntries",
      "PrefixListBatchesTest#fullListReplacedEntirelyTakesRemovalsAlongWithEachBatch",
      "PrefixListBatchesTest#secondWriterBetweenBatchesIsDetectedAndTheListStillConverges",
      "PrefixListBatchesTest#listStillBeingModifiedIsAwaitedAndEachCallNamesTheVersionThePreviousMade",
      "PrefixListBatchesTest#listAboveItsMaxEntriesWithNoOrderThatFitsIsRefusedBeforeAnyChange",
      "PrefixListBatchesTest#everyPlanStaysWithinMaxEntriesAndTheCallLimits",
      "AwsWritersIT#fullPrefixListIsRotatedInOneCallThatAddsAndRemoves"]),
    ("A throttled describe is read again from scratch: no rule counted twice toward the quota, no drift twice",
     ["ThrottledListingTest#throttledSecondPageDoesNotCountRulesTwiceTowardsTheQuota",
      "ThrottledListingTest#throttledSecondPageDoesNotDuplicateDrift",
      "ThrottledListingTest#throttledSecondPageOfPrefixListEntriesReadsEachEntryOnce"]),
    ("One definition of a failure (source, writer, unexpected): status, metrics, the daemon's early retry and the "
     "'failing' message agree; a guard refusal and a fetch abandoned for a stop are no failures",
     ["FailureCountingTest#everyOutcomeCountsTheSameInStatusMetricsDaemonAndNotifications",
      "FailureCountingTest#refusalsBeforeOneTransientFailureDoNotRaiseTheFailingAlert",
      "FailureCountingTest#aFetchAbandonedForAStopIsRecordedButNeitherCountsNorAlerts",
      "FailureCountingTest#onlySourceWriterAndUnexpectedFailuresAreFailures"]),
    ("Two instances started at once: one runs, the other refuses",
     ["DaemonProcessIT#daemonSyncsAtStartRefusesASecondInstanceAndStopsCleanlyOnSigterm",
      "CliSyncTest#concurrentSyncIsRefused", "StateStoreTest#secondLockOnTheSameStateDirIsRefused"]),
    ("SIGTERM during a sync (10 daemons in the testbed, signal at random moments): a fetch is abandoned, an apply "
     "finishes, exit 0, rules stay",
     ["FaultInjectionIT#sigtermDuringASyncAbandonsTheFetchOrFinishesTheApplyExitsZeroAndRulesStay",
      "StopDuringApplyTest#anApplyInProgressFinishesWhenTheClientIsStopped",
      "DaemonTest#stopWaitsForTheSyncInProgressToFinish",
      "PackageIT#daemonRunsAsTheUnitRunsItAndStopsCleanlyOnSigterm"]),
    ("SIGTERM during a 100 s rate-limit wait or a request Feishu never answers: the daemon process is gone, exit 0, "
     "within 15 s",
     ["DaemonHardeningIT#sigtermDuringAHundredSecondRateLimitWaitStopsWithinFifteenSeconds",
      "DaemonHardeningIT#sigtermDuringARequestFeishuNeverAnswersStopsWithinFifteenSeconds",
      "FeishuClientHardeningTest#stopAbortsARateLimitWaitAndLaterFetchesFailAtOnce",
      "FeishuClientHardeningTest#stopAbortsARequestInFlight"]),
    ("Two apps, one failing (HTTP 503): its last good list stays applied beside the other's fresh list, exit 6 "
     "(partial), status shows each source's age; an empty or shrunken answer from one app is refused (exit 4) while "
     "the other's is fine; in the testbed, real packets keep reaching 443 from the failed app's address",
     ["SourcesPacketIT#healthCheckHostPassesRemovedAddressWaitsForGraceAndAFailedSourceKeepsItsAddresses",
      "CliSourcesTest#theUnionOfTwoAppsIsAppliedAndAFailedAppKeepsItsAddresses",
      "SyncerOwnEntriesTest#oneSourceFailingKeepsItsAddressesAndTheRunIsPartial",
      "DaemonSourcesTest#anAppThatNeverAnsweredLeavesThePartialRunAppliedAndNotRetriedEarly",
      "ListMergeTest#anEmptyAnswerFromOneSourceIsRefusedNamingItWhileTheOtherIsFine",
      "ListMergeTest#aLargeRemovalFromOneSourceIsRefusedEvenWhenTheUnionBarelyShrinks",
      "ListMergeTest#aFailedSourceKeepsItsLastGoodListAndItsAge",
      "StaleSourceNotifyTest#aSourceOlderThanMaxAgeIsReportedOncePerInterval"]),
    ("Feishu unreachable with own entries (also_allow) configured: they are applied with the last good list "
     "(exit 3); a first run with no list holds only them (enforce.before_first_list: closed); an empty Feishu list "
     "is refused whatever the own entries",
     ["CliSourcesTest#ownEntriesAreAppliedWhenTheFetchFailsAndAFirstFailedRunHoldsOnlyThem",
      "SyncerOwnEntriesTest#whenTheFetchFailsOwnEntriesAreStillAppliedWithTheLastGoodList",
      "SyncerOwnEntriesTest#aFirstRunWhoseFetchFailsAppliesNothingNotEvenOwnEntries",
      "ListMergeTest#ownEntriesJoinTheListButAnEmptyFetchedListIsStillRefused"]),
    ("An address missing from one answer stays applied until removal.confirmations and removal.grace are met; a "
     "restart neither resets nor skips it; a run without a fetch confirms nothing; sync --prune removes it now",
     ["SyncerOwnEntriesTest#aRemovedAddressStaysUntilItsGraceHasPassedAndARestartDoesNotResetIt",
      "CliSourcesTest#aRemovedAddressWaitsForItsConfirmationsAndPruneRemovesItAtOnce",
      "PendingRemovalsTest#aRunWithoutAnyFetchConfirmsNothingAndRemovesNothing",
      "ListMergeTest#heldRemovalsDoNotCountInTheRemovalGuardAndStayApplied",
      "SnapshotSourcesTest#aMalformedPendingRemovalMakesTheSnapshotUnusableNotHalfTrusted"]),
    ("Cluster mode (two and three daemons, one PostgreSQL, moto): each node's file writer is updated on every node, "
     "the security group and prefix list are changed once per change (EC2 calls counted)",
     ["ClusterIT#threeNodesUpdateTheirOwnFilesAndChangeTheCloudTargetsExactlyOncePerChange"]),
    ("Cluster mode: `kill -9` of the node running the cluster job mid-apply: another node recovers the job within "
     "about two check-ins (plus Quartz's 7.5 s grace) and the cloud targets converge",
     ["ClusterIT#killingTheNodeThatHoldsTheClusterJobMidApplyIsRecoveredByTheOther"]),
    ("Cluster mode: the database stopped and started: host writers go on without a failed sync, the outage is "
     "reported once per node (log, status, metric, notify), the cluster job resumes by itself",
     ["ClusterIT#aDatabaseStopAndStartFailsNoHostSyncAndTheCloudCatchesUp",
      "ClusterNodeTest#theClusterJobRunsAnOutageIsReportedOnceAndTheJobResumesWhenTheDatabaseIsBack",
      "ClusterNodeTest#aNodeStartedWhileTheDatabaseIsDownJoinsWhenItComesBack"]),
    ("Cluster mode: a list fetched before the one the cluster last applied is not applied (row lock, one line, no "
     "failure), also when the node stalled (SIGSTOP) in a slow fetch while another node took over; the snapshot "
     "never goes back",
     ["ClusterIT#aNodeThatFetchedAnOlderListNeverRollsTheCloudBack",
      "ClusterStateTest#aNodeThatFetchedAnOlderListDoesNotRollTheCloudWriterBack",
      "ClusterStateTest#savingAnOlderSnapshotIsRefusedAndChangesNothing",
      "ClusterStateTest#aSecondRunWaitsForTheRowLockOfTheFirst"]),
    ("Cluster mode: schema created once by nodes starting together, idempotent; another schema version or a "
     "refused login stops cluster mode with one line (exit 2), the password never shown",
     ["ClusterSchemaTest#nodesStartingAtOnceCreateTheSchemaExactlyOnce",
      "ClusterSchemaTest#firstStartCreatesQuartzAndOwnTablesAndASecondStartChangesNothing",
      "ClusterSchemaTest#aDatabaseOfAnotherSchemaVersionIsRefusedWithOneLine",
      "CliClusterTest#aNodeFindingAnotherSchemaVersionRefusesToRunWithOneLineAndExitTwo",
      "ClusterNodeTest#aRefusedLoginIsASetupErrorNamingUserAndUrlButNotThePassword",
      "CliClusterTest#checkConfigOnlineReachesTheDatabaseAndNamesUserAndUrlButNotThePasswordWhenRefused"]),
    ("Held at every moment", None),
    ("Something else flushes, reloads or edits the firewall while the packaged daemon runs (`nft flush ruleset`, "
     "Debian's `/etc/nftables.conf` reload, our table deleted, our drop rules deleted, an accept put in our chain, "
     "the stranger added to our sets; for iptables our chain flushed, the jump removed, an ACCEPT above the jump, "
     "`iptables-restore` without `--noflush`, `ipset flush`): the stranger is refused again within "
     "`enforce.interval` plus a few seconds, a listed host is never refused meanwhile, one log line says what was "
     "wrong",
     ["EnforcePacketIT#nftablesIsPutBackAfterEveryKindOfTamperingAndTheListedHostIsNeverRefused",
      "EnforcePacketIT#iptablesIsPutBackAfterAFlushAMissingJumpAnEmptiedSetAndARestoreWithoutNoflush",
      "EnforcerTest#aFlushADeletedTableAMissingAndAForeignElementAreEachRepairedByOneCheck",
      "EnforcerTest#aJumpMovedBelowAnAcceptAndAFlushedChainAreRepaired",
      "EnforcerTest#aFailedRepairIsReportedAndTheNextCheckRepairs"]),
    ("Change events (`nft monitor`) repair a flush in about a second with a 1 h interval, for nftables and for "
     "iptables' nf_tables flavour; events that name nothing of ours ask for nothing",
     ["EnforcePacketIT#changeEventsRepairAFlushInAboutASecondLongBeforeTheIntervalCheck",
      "ChangeWatchTest#aChangeNamingOurTableAsksForOneCheckAndOthersForNone",
      "ChangeWatchTest#aWatchThatCannotRunIsLoggedAndLeavesTheIntervalCheck",
      "ChangeWatchTest#manyChecksAskedAtOnceWhileOneRunsAreOneMore"]),
    ("A check never puts back an older list than the last sync applied, and a writer that failed in a sync is held "
     "to what it held before",
     ["EnforcerTest#aCheckKeepsWhatTheLastSyncAppliedNeverAnOlderList",
      "EnforcerTest#aWriterThatFailedInTheSyncIsHeldToWhatItHeldBefore",
      "EnforcerTest#aWriterNoSyncHasSetIsLeftAlone"]),
    ("A reboot with Feishu unreachable: the boot-time restore (shell script, no JVM, no network) and "
     "`feishu-ipsync restore` refuse the stranger from the first try; the daemon then holds the last applied list "
     "and repairs a flush; under systemd 252 the restore unit has the list in the kernel before network-pre.target "
     "and before the daemon starts",
     ["EnforcePacketIT#aRebootWithFeishuUnreachableIsProtectedFromTheFirstPacket",
      "SystemdBootIT#afterARebootTheRestoreUnitHasTheAllowlistInTheKernelBeforeTheNetworkAndTheDaemon",
      "EnforcerTest#theBootTimeCopyLoadsTheSameRulesIntoAnEmptyKernel",
      "EnforcerTest#aBootTimeCopyThatWouldMakeNftIncludeAnotherFileIsRefused",
      "EnforcerTest#whenFeishuDoesNotAnswerTheLastAppliedListIsPutBackWithoutOwnEntries"]),
    ("A first install with Feishu unreachable: closed to the stranger, open on loopback and to an `also_allow` "
     "host, said in the outcome and `status`; kept closed after a flush; the first list replaces it; "
     "`before_first_list: open` applies nothing",
     ["EnforcePacketIT#aFirstInstallWithFeishuUnreachableIsClosedButToLoopbackAndTheOperatorsEntries",
      "EnforcerTest#aFirstInstallWithoutFeishuClosesThePortsToAllButTheOperatorsEntriesAndKeepsThemClosed",
      "EnforcerTest#beforeFirstListOpenAppliesNothing",
      "EnforcerTest#aDryRunBeforeAFirstListSaysItWouldCloseAndChangesNothing",
      "CliSourcesTest#ownEntriesAreAppliedWhenTheFetchFailsAndAFirstFailedRunHoldsOnlyThem",
      "ConfigLoaderTest#enforcementDefaultsToEvery30sClosedBeforeAFirstListAndIsChecked"]),
    ("The firewalld writer holds the list through firewalld's reloads and restarts (firewalld 1.3 on its D-Bus in the "
     "systemd container, real packets): listed admitted, stranger refused; a change with no failed connection of a "
     "client connecting every 20 ms; drift by hand and a flushed kernel repaired; the enforcement loop holds it; "
     "teardown removes exactly its objects; a stopped firewalld is a clear refusal; under the packaged unit as its "
     "service account (polkit rule)",
     ["FirewalldWriterIT#theListedHostsGetInAndStrangersDoNotAcrossReloads",
      "FirewalldWriterIT#aChangeIsAppliedWithoutAReloadGap",
      "FirewalldWriterIT#driftInFirewalldOrAFlushedKernelIsFoundAndRepaired",
      "FirewalldWriterIT#theEnforcementLoopHoldsItLikeTheKernelWriters",
      "FirewalldWriterIT#teardownRemovesExactlyItsObjectsAndAStoppedFirewalldIsAClearRefusal",
      "SystemdBootIT#theFirewalldWriterUnderTheUnitAsItsServiceAccount"]),
    ("Routing: each writer holds its own senders' addresses only (real packets: 443 admits Feishu's, 8080 GitHub's); "
     "a sender that fails keeps its writers' lists and changes no other writer; an address covered by another "
     "sender's wider prefix stays on its own writer; pending removals stay on their senders' writers",
     ["RoutingPacketIT#eachPortAdmitsItsOwnSenderOnly",
      "RoutingTest#eachWriterHoldsItsSendersAndTheOwnEntries",
      "RoutingTest#anAddressCoveredByAnotherSendersWiderOneIsStillHeldByItsOwnWriter",
      "RoutingTest#aFailingSenderKeepsItsWritersListAndChangesNoOtherWriter",
      "RoutingTest#aPendingRemovalStaysOnTheWritersOfItsSenderOnly",
      "RoutingTest#whatTheDaemonEnforcesAtStartIsEachWritersPart"]),
    ("Security review", None),
    ("Hostile answers of every other sender through the whole CLI (GitHub, Stripe, a published list, WeCom, WeChat, "
     "a local file): an over-broad or special-purpose entry, a huge body, malformed JSON, a list that is not a list, "
     "a token line with a newline, a file reached through a link or writable by every account: refused in one line, "
     "nothing applied; a wrong secret or token in one line without it",
     ["GithubCliTest#hostileAnswersAreRefusedWithNothingApplied",
      "GithubCliTest#aTokenIsSentAndAWrongOneIsOneClearLine",
      "StripeCliTest#hostileOrBrokenAnswersAreRefusedWithNothingApplied",
      "UrlCliTest#aListOfLinesWithCommentsIsApplied", "UrlCliTest#aTaggedJsonListIsFilteredByItsField",
      "UrlCliTest#aHugeAnswerIsRefusedBeforeItIsReadWhole",
      "UrlCliTest#aBearerTokenFromTheEnvironmentIsSentAndNeverPrinted",
      "WecomCliTest#hostileAnswersAreRefusedWithNothingApplied", "WecomCliTest#aWrongSecretIsOneLineWithoutTheSecret",
      "WechatCliTest#hostileAnswersAreRefusedWithNothingApplied",
      "WechatCliTest#aWrongSecretIsOneLineWithoutTheSecret",
      "FileCliTest#aLinkInPlaceOfTheFileOrOnItsPathIsNotFollowed", "FileCliTest#aFileEveryAccountMayWriteIsNotTaken",
      "SendersConfigTest#aSendersValidationOverridesTheTopLevelOneKeyByKeyAndTheTypeKnowsItsPrefixes"]),
    ("A snapshot someone edited (the file, or the same text in the cluster database): pending removals of "
     "`0.0.0.0/1` and `128.0.0.0/1` dated 2099, a failed source's last good list with a private range, a snapshot "
     "dated in the future: the run is refused (exit 4) naming the store and the entry, nothing applied, and the "
     "daemon enforces nothing from it; an own entry taken out of the config is no reason to refuse",
     ["CliSourcesTest#pendingRemovalsPlantedInTheSnapshotFileAreRefusedAndNothingChanges",
      "ReadBackTest#pendingRemovalsOfTheWholeIpv4SpaceDatedInTheFutureAreRefused",
      "ReadBackTest#aPendingRemovalThePolicyRefusesIsRefusedWhateverItsDate",
      "ReadBackTest#aFailedSourcesLastGoodListIsHeldToThePolicy",
      "ReadBackTest#aSnapshotDatedInTheFutureIsRefusedAndNothingIsEnforcedFromIt",
      "ReadBackTest#aCleanSnapshotIsRebuiltFromItsPartsAndTheOwnEntriesConfiguredNow",
      "ReadBackTest#anOwnEntryTakenOutOfTheConfigIsNoReasonToRefuse"]),
    ("Cluster lists are ordered by the database's clock, not the nodes': a node that stalled mid-listing never rolls "
     "the cloud back, whatever its clock said; a last list dated ahead of the database's clock (a node 30 days ahead, "
     "an edited row) is a failure that counts and alerts, not a silent abandon",
     ["ClusterStateTest#aNodeThatFetchedAnOlderListDoesNotRollTheCloudWriterBack",
      "ClusterStateTest#aLastListDatedAheadOfTheDatabasesClockIsAFailureThatCountsNotASilentAbandon",
      "ClusterIT#aNodeThatFetchedAnOlderListNeverRollsTheCloudBack"]),
    ("Two writers owning the same rules (a security group with the same marker, a prefix list, an iptables chain) "
     "are refused at config time; a remote cluster database without server verification is warned about",
     ["ConfigLoaderTest#twoWritersOnTheSameSharedTargetWithTheSameMarkerAreRefused",
      "ClusterConfigTest#aRemoteDatabaseWithoutServerVerificationIsWarnedAbout"]),
    ("90 bytes of serialized HashMap (size 0x3fffffff) in the Quartz tables: job data is read as properties, never "
     "deserialized, and the node runs on; a JVM-wide filter refuses every class (launcher and `java -jar`)",
     ["ClusterNodeTest#ninetyBytesOfSerializedHashMapInTheQuartzTablesAreNeverDeserialized",
      "SerialFilterTest#theHugeHashMapPayloadIsRefusedBeforeAnythingIsAllocated",
      "SerialFilterTest#theLauncherSetsTheSameFilterAfterTheOperatorsFlags"]),
    ("Text read back from a store (status file, cluster database: messages, writer names, errors, node ids) is "
     "escaped like network text before `status` shows it",
     ["StatusFileTest#textWrittenIntoTheStoreByAnyoneElseIsEscapedWhenReadBack"]),
    ("The address guards count what each writer will hold against what its own target admits now: an entry a "
     "store claims is applied or pending that no firewall holds counts as new; removals are never held back",
     ["HeldGuardTest#aPendingEntryNoWriterHoldsCountsAsNew", "HeldGuardTest#aWriterThatHoldsItAlreadyGainsOneAddress",
      "HeldGuardTest#forceLiftsIt", "HeldGuardTest#theOperatorsOwnEntriesAreNotCounted"]),
    ("Forty connections that never finish their headers, a client dripping a byte at a time, more connections than "
     "a client's share, oversized headers: the feed and the metrics endpoint (Jetty) keep answering real clients, "
     "in the JVM and as the packaged daemon; no feed password in the debug log; a renewed TLS certificate is "
     "served without a restart, a half-renewed one is not",
     ["BoundedServerTest#clientsThatNeverFinishTheirHeadersCannotKeepARealOneOut",
      "BoundedServerTest#aConnectionIsClosedAtItsDeadlineEvenWhenItNeverFallsIdle",
      "BoundedServerTest#oneClientGetsItsShareOfConnectionsAndNoMore",
      "BoundedServerTest#oneRequestPerConnectionAndOversizedHeadersAreRefused",
      "BoundedServerTest#beyondTheConnectionCapNewClientsWaitForAPlaceInsteadOfFailing",
      "BoundedServerTest#aRestartRightAfterServingGetsThePortBack",
      "FeedWriterTest#stalledClientsCannotKeepAFirewallFromTheList",
      "ListenersDaemonIT#stalledClientsKeepNeitherTheFeedNorTheMetricsFromARealClient",
      "FeedTlsAuthTest#aRenewedCertificateIsServedWithoutARestartAndABrokenOneIsNot"]),
    ("A cloud's real quota below `max_rules`: a refusal part way through a change takes back what the run added "
     "(ECS, AWS, Tencent), so the group holds the old list; Tencent's real quota is read first and a lower one "
     "refuses the change before it starts",
     ["AliyunSecurityGroupWriterTest#aQuotaRefusalPartWayTakesBackWhatTheRunAdded",
      "AwsWritersTest#aQuotaRefusalPartWayTakesBackWhatTheRunAdded",
      "TencentPolicyWriterTest#aQuotaRefusalPartWayTakesBackWhatTheRunAdded",
      "TencentPolicyWriterTest#theAccountsRealQuotaIsReadBeforeAChangeAndALowerOneCounts"]),
    ("Tencent address templates: a change is reported only once its asynchronous task succeeded; a failed or endless "
     "task is a failure; the default limit is the documented 20 addresses",
     ["TencentAddressTemplateTest#theChangeIsReportedOnlyOnceItsTaskSucceeded",
      "TencentAddressTemplateTest#aFailedTaskIsAFailureAndTheTemplateKeepsTheOldList",
      "TencentAddressTemplateTest#aTaskThatNeverEndsIsAFailureAfterTheWait",
      "TencentAddressTemplateTest#theDefaultMaxRulesIsTheDocumentedQuotaOf20"]),
    ("Load balancer ACLs (Alibaba ALB and CLB, Volcano Engine CLB): a whitelist ACL is never empty, not inside an "
     "update, not after a rollback, not after a teardown (an empty one admits everyone); additions before removals; "
     "the quota at the peak; a refusal part way taken back; someone else's entries kept; ALB's jobs waited for",
     ["AlbAclWriterTest#aFirstSyncKeepsForeignEntriesAndAChangeAddsBeforeItRemoves",
      "ClbAclWriterTest#aFirstSyncKeepsForeignEntriesAndAChangeAddsBeforeItRemoves",
      "AlbAclWriterTest#aResultWithNoEntryIsRefusedBecauseAnEmptyWhitelistAdmitsEveryone",
      "ClbAclWriterTest#aResultWithNoEntryIsRefusedBecauseAnEmptyWhitelistAdmitsEveryone",
      "ClbAclWriterTest#aFirstSyncOfAnEmptyWhitelistThatIsRefusedHalfWayKeepsWhatItAdded",
      "AlbAclWriterTest#teardownRemovesOnlyItsOwnAndNeverEmptiesAUsedWhitelist",
      "ClbAclWriterTest#teardownRemovesOnlyItsOwnAndNeverEmptiesAUsedWhitelist",
      "AlbAclWriterTest#aQuotaTooSmallAtThePeakIsRefusedWithNothingChanged",
      "AlbAclWriterTest#aRefusalHalfWayIsRolledBack", "ClbAclWriterTest#aRefusalHalfWayIsRolledBack",
      "AlbAclWriterTest#eachJobIsWaitedForBeforeTheNextStepAndABusyAclIsWaitedOut",
      "AlbAclWriterTest#aJobThatFailsIsAnErrorAndWhatTheRunAddedIsTakenBack",
      "VolcClbAclWriterTest#threeHundredEntriesInSixCallsAndTeardownNeverEmptiesAUsedWhitelist",
      "VolcClbAclWriterTest#aQuotaTooSmallAtThePeakAndARefusalHalfWay",
      "AclCliSyncTest#aSyncWritesTheListTheNextChangesOnlyWhatChangedAndTeardownKeepsTheOffice"]),
    ("Huawei Cloud and Volcano Engine security groups: create before delete, the quota at the peak, a refusal part "
     "way taken back, an operator's identical rule left to its owner and counted only while listed",
     ["HuaweiSecurityGroupWriterTest#aFirstSyncKeepsForeignRulesAndAChangeCreatesBeforeItDeletes",
      "HuaweiSecurityGroupWriterTest#aRefusalHalfWayIsRolledBack",
      "HuaweiSecurityGroupWriterTest#aQuotaTooSmallAtThePeakIsRefusedWithNothingChanged",
      "HuaweiAddressGroupWriterTest#theGroupHoldsTheListsFamilyAndEachChangeIsOneCall",
      "VolcSecurityGroupWriterTest#aFirstSyncKeepsForeignRulesAndAChangeAuthorisesBeforeItRevokes",
      "VolcSecurityGroupWriterTest#aQuotaTooSmallAtThePeakIsRefusedAndARefusalHalfWayRolledBack"]),
    ("The Huawei Cloud SDK in a class loader of its own: its OkHttp 4 beside the application's OkHttp 3, loaded from "
     "the installed bundle as the service account; a bundle others could write, or a link, is not loaded",
     ["HuaweiSecurityGroupWriterTest#theSdkRunsOnItsOwnHttpStackBesideTheApplicationsOne",
      "BundleTest#aBundleOthersCouldWriteIsNotLoaded",
      "PackageIT#theHuaweiCloudSdkRunsFromItsInstalledBundleAsTheServiceAccount"]),
    ("The new clouds' stand-ins recompute each signature as the cloud documents it: a request a relay changed on the "
     "way is refused and changes nothing",
     ["AlbAclWriterTest#aSignatureTheRelayChangedIsRefused", "ClbAclWriterTest#aSignatureTheRelayChangedIsRefused",
      "HuaweiSecurityGroupWriterTest#aSignatureTheRelayChangedIsRefused",
      "VolcSecurityGroupWriterTest#aSignatureTheRelayChangedIsRefused"]),
    ("An ECS rule of ours whose description was changed by hand gets the marker back once instead of being re-sent "
     "on every run; each run describes each group once",
     ["AliyunSecurityGroupWriterTest#aRuleOfOursWhoseDescriptionWasChangedByHandIsReclaimedOnceNotResentForEver",
      "AliyunSecurityGroupWriterTest#anUnchangedRunDescribesEachGroupOnce",
      "TencentPolicyWriterTest#anUnchangedRunDescribesEachGroupOnce"]),
    ("A broken config is one line that never quotes the file (a secret on the broken line stays out of the error); "
     "keys and tool output with control or bidi characters are escaped in every error and drift line",
     ["ConfigLoaderTest#brokenYamlIsOneLineThatNeverQuotesTheFile",
      "ConfigFuzzTest#anyTextIsAConfigOrOneClearError",
      "KernelOutputFuzzTest#iptablesAndIpsetOutputIsAHoldingOrOneClearError"]),
    ("Own entries that admit the whole IPv4 space through IPv4-mapped, NAT64 or 6to4 ranges are refused naming the "
     "key; an IPv4 /8 or narrower through them is accepted",
     ["ListSectionsTest#ownEntriesThatLetTheWholeIpv4SpaceInThroughMappingOrTranslationAreRefused"]),
    ("Own entries (also_allow, top level and per writer) of 0.0.0.0/0, ::/0 or broader than a /8 or an IPv6 /16 are "
     "refused naming the key; private ranges are accepted there and nowhere else",
     ["ListSectionsTest#ownEntriesMayBePrivateButNeverEverything"]),
    ("Over-broad answers: entries in special-purpose ranges (private, loopback, the metadata address, CGNAT, "
     "multicast, IPv6 loopback, link-local, IPv4-mapped, unique local, ...) or broader than the minimum prefix "
     "(`0.0.0.0/1` + `128.0.0.0/1`) make the whole answer invalid (exit 3), nothing changes; "
     "`validation.allow_special` exempts lab ranges only",
     ["HostileFeishuTest#hostileAnswerChangesNothingAndTheNextRunConverges",
      "EntryPolicyTest#specialPurposeEntriesFromFeishuAreRefused", "EntryPolicyTest#publicEntriesAreAccepted",
      "EntryPolicyTest#prefixesBroaderThanTheMinimumAreRefusedEvenWhenExempt",
      "EntryPolicyTest#allowSpecialExemptsOnlyEntriesInsideTheListedRanges",
      "EntryPolicyTest#oneRefusedEntryFailsTheWholeAnswer", "ConfigLoaderTest#badValidationValuesAreNamed"]),
    ("A change that opens more addresses than `guard.max_added_v4_addresses` / `guard.max_added_v6_networks` "
     "(a first run included) is refused (exit 4) unless `--force`; counted in addresses, not entries",
     ["HostileFeishuTest#additionOpeningTooManyAddressesIsRefusedUnlessForced",
      "PlanTest#firstRunOpeningMoreThanTheAddressGuardIsRefusedUnlessForced",
      "PlanTest#addressGuardCountsWhatIsNewNotWhatIsListed", "PlanTest#ipv6AdditionsAreGuardedInSlash64Networks",
      "AddressSetsTest#addedAddressesAreCountedNotEntries", "AddressSetsTest#addedIpv6IsCountedInSlash64Networks"]),
    ("Network text (Feishu `msg` and request id, AWS error messages, bot answers) with newlines, ESC codes and bidi "
     "overrides: one escaped line in the log (JSON: one object per line), in errors and in `status.json`",
     ["NetworkTextTest#jsonLogStaysOneObjectPerLineAndStatusHoldsTheEscapedMsg", "NetworkTextTest#textLogHasNoForgedLine",
      "SanitizeTest#controlFormatAndBidiCharactersAreEscaped",
      "FeishuClientHardeningTest#controlCharactersInMsgAndLogIdAreEscapedAndLongOnesCut",
      "Ec2CallsMessagesTest#anErrorMessageWithNewlinesAndEscapesIsOneEscapedLine",
      "NotifierAnswersTest#aBotMsgWithNewlinesAndEscapesIsLoggedAsOneEscapedLine"]),
    ("Secrets (app secret, tenant token, bot and webhook secrets, AWS keys) at trace level: absent from stdout, "
     "stderr, the log, `status`, `check-config`, the state files, and the command line and environment of child "
     "processes",
     ["SecretsTest#noSecretAnywhere", "CliSyncTest#secretAndTokenNeverReachTheLogAtDebug",
      "ConfigLoaderTest#secretNeverAppearsInErrors", "FeishuClientTest#secretIsSentOnlyToTheTokenEndpoint",
      "ProcessCommandRunnerTest#childrenGetOnlyPathAndTheCLocale"]),
    ("Injection: entries and config names with `;`, newlines, quotes or `}` are rejected before any command; "
     "commands run as argument lists, never through a shell",
     ["IpRangeTest#rejectsAnythingButAStrictAddressOrPrefix", "NftablesWriterIT#hostileEntryNeverReachesNft",
      "NftablesWriterIT#hostileNamesAreRejectedInConfig", "IptablesWriterIT#hostileNamesAreRejectedInConfig",
      "ProcessCommandRunnerTest#argumentsAreNeverInterpretedByAShell"]),
    ("File permissions: state directory 0700, state files 0600, owned by the service user (even after a sync run "
     "by hand as root); config not world-readable",
     ["StateStoreTest#snapshotRoundTripsAndIsPrivate", "PackageIT#installedFilesUserAndPermissions",
      "PackageIT#syncRunByRootLeavesStateTheServiceCanUseAndAForeignLockIsAClearError"]),
    ("Cases nobody listed: properties (jqwik) and fuzzing (Jazzer)", None),
    ("Address arithmetic over random ranges of both families: canonical text round-trips, order agrees with "
     "equality, containment is prefix arithmetic, mapped and zoned forms never pass, a change turns the old list "
     "into the new one, the reduction keeps every address",
     ["AddressProperties#canonicalTextParsesBackToTheSameRange",
      "AddressProperties#orderAgreesWithEqualityAndIsAntisymmetric", "AddressProperties#containmentIsPrefixArithmetic",
      "AddressProperties#mappedFormsFailTheSourcePolicyAndZonedFormsDoNotParse",
      "AddressProperties#aPrefixWithAHostBitSetIsRefused",
      "AddressProperties#theChangeBetweenTwoListsTurnsTheOldIntoTheNew",
      "AddressProperties#withoutCoveredKeepsEveryAddressAndNoRedundantEntry"]),
    ("Runs over random lists: the merge never loses a fresh address or an own entry, pending removals never outlive "
     "their grace nor remove a listed address, a refusing guard leaves writer and snapshot as they were, a failed "
     "source keeps its last list; writers read back exactly what they were asked to hold (file; ECS and Tencent "
     "against their fakes)",
     ["SyncProperties#theMergeNeverLosesAnAddressAFreshSourceListedNorAnOwnEntry",
      "SyncProperties#pendingRemovalsNeverKeepAnAddressPastItsGraceNorRemoveAListedOne",
      "SyncProperties#aRefusingGuardLeavesTheWriterUntouched", "SyncProperties#aFailedSourceKeepsItsLastGoodListWhole",
      "ReadBackProperties#theFileWriterReadsBackExactlyWhatItWrote",
      "EcsReadBackProperties#readsBackExactlyWhatItWasAskedToHold",
      "TencentReadBackProperties#bothModesReadBackExactlyWhatTheyWereAskedToHold"]),
    ("The kernel writers against the real kernel: random lists of both families converged one after another by the "
     "nftables writer and the iptables writer (testbed); the kernel, read apart from the writer, holds exactly each "
     "list",
     ["KernelReadBackPropertiesIT#theNftablesWriterLeavesExactlyTheListInTheKernel",
      "KernelReadBackPropertiesIT#theIptablesWriterLeavesExactlyTheListInTheKernel"]),
    ("Every parser of outside input, fuzzed (committed inputs and crashes replayed; `deploy/fuzz.sh` for new "
     "ones): a checked value or one clean error line, never another exception",
     ["FeishuAnswerFuzzTest#anyAnswerIsAListOrOneClearError", "ConfigFuzzTest#anyTextIsAConfigOrOneClearError",
      "KernelOutputFuzzTest#nftOutputIsAHoldingOrOneClearError",
      "KernelOutputFuzzTest#iptablesAndIpsetOutputIsAHoldingOrOneClearError",
      "StateFilesFuzzTest#anySnapshotBytesAreASnapshotOrOneClearProblem",
      "StateFilesFuzzTest#anyStatusBytesAreAStatusOrNothing",
      "StateFilesFuzzTest#anyHistoryBytesAreKeptAndTheChangeAppended",
      "DatabaseRowsFuzzTest#anyRowsAreCheckedValuesOrOneClearProblem",
      "TencentAnswerFuzzTest#anyAnswerIsReadOrOneClearError", "EcsAnswerFuzzTest#anyAnswerIsReadOrOneClearError",
      "Ec2AnswerFuzzTest#anyAnswerIsReadOrOneClearError", "AclAnswerFuzzTest#anyAnswerIsReadOrOneClearError",
      "HuaweiAnswerFuzzTest#anyAnswerIsReadOrOneClearError", "VolcAnswerFuzzTest#anyAnswerIsReadOrOneClearError"]),
    ("Findings of the fuzzers, fixed and pinned: an unreadable last history row no longer keeps a change from being "
     "recorded; an SDK choking on a malformed cloud answer is one line, not an escaped NullPointerException",
     ["DatabaseRowsFuzzTest#anyRowsAreCheckedValuesOrOneClearProblem",
      "CloudSharedTest#aWriterErrorOfTheCallPassesAndAnUncheckedFailureIsAnUnreadableAnswer"]),
    ("Faults on a real link: the daemon in a network namespace, Feishu's stand-in, PostgreSQL and the cloud across "
     "a veth pair", None),
    ("30 % loss, then 30 % resets (nftables rules on the link) while the list changes three times: every kernel sample "
     "(4 a second) is one whole list, no run outlives its deadline, the history replays to the kernel, the last list "
     "once the link heals",
     ["NetworkFaultsIT#lossAndResetsOnTheLinkLeaveTheOldListOrTheNewAndNoRunHangs"]),
    ("The link cut for a minute in the middle of a run (a slow listing under way): the old list held at every sample, "
     "runs go on failing each within its deadline, with the reason in one line; the new list once the link is back",
     ["NetworkFaultsIT#aLinkCutForAMinuteInTheMiddleOfARunKeepsTheOldListUntilItHeals"]),
    ("A slow link (a 64 kbit/s token bucket on both ends): 1,000 entries over 20 pages applied",
     ["NetworkFaultsIT#aSlowLinkDeliversAThousandEntries"]),
    ("Seconds of latency and a peer that never answers (the tests' TCP proxy): slow but in time is applied; too slow "
     "or stalled ends by the deadline with the old list and a `timeout` line",
     ["NetworkFaultsIT#secondsOfLatencyOrAStalledPeerEndTheRunByItsDeadlineWithTheOldList"]),
    ("A list that changes between the pages of one listing (found by the loss test: a run applied half the old list "
     "and half the new): read again until two listings agree, at most three",
     ["FeishuClientTest#aListThatChangesBetweenPagesIsReadAgainUntilTwoListingsAgree",
      "FeishuClientTest#aListThatChangesInEveryListingIsRefusedWithNothingApplied"]),
    ("Cluster over the faulty link: 30 % loss, then the database cut off from the node running the cluster job; the "
     "other node takes over (found: it could not, for the cut node's session held Quartz's row lock on the server; "
     "now every session has server-side keepalives), no two nodes' cloud changes in flight together, the cluster's "
     "history replays to the security group, every failure one line",
     ["ClusterNetworkFaultsIT#lossAndACutDatabaseLinkNeverLetTwoNodesChangeTheCloudAtOnce",
      "QuietQuartzTest#anExceptionPassedAsTheLastArgumentIsOneLineToo"]),
    ("Under the real init system", None),
    ("The packaged unit, unchanged, under systemd 252 as PID 1 (Debian 12 container): `enable --now`, first sync in "
     "the kernel, a changed list after a restart, a clean stop (inactive, exit 0), rules kept, no secret in the "
     "journal; with the nftables writer and the iptables writer in both flavours",
     ["SystemdBootIT#nftablesAndIptablesNftWritersUnderTheUnit",
      "SystemdBootIT#iptablesLegacyWriterUnderTheUnitUsesTheHostsOneXtablesLock"]),
    ("Legacy iptables under `ProtectSystem=strict` shares the host's one `/run/xtables.lock` (created if missing, "
     "readable by the service's group), and waits while another iptables user holds it",
     ["SystemdBootIT#iptablesLegacyWriterUnderTheUnitUsesTheHostsOneXtablesLock", "SystemdUnitIT#unitVerifies"]),
    ("Pre-checks quote the tool's own error (one sanitized line); a missing capability is named only when the tool "
     "says the kernel refused",
     ["PrecheckErrorsTest#legacyIptablesThatCannotOpenItsLockSaysSoInsteadOfBlamingTheCapability",
      "PrecheckErrorsTest#iptablesWithoutTheCapabilityQuotesTheToolAndNamesTheCapability",
      "PrecheckErrorsTest#theQuotedLineIsOneLineWithControlCharactersEscapedAndCapped",
      "NftablesWriterIT#missingCapabilityIsAClearErrorBeforeAnyChange",
      "IptablesWriterIT#missingCapabilityIsAClearErrorBeforeAnyChange"]),
    ("A systemd credential the service user cannot read is reported with path and reason, and the "
     "`app_secret_file` fallback, not as missing",
     ["SystemdBootIT#aCredentialTheServiceUserCannotReadIsNamedInTheJournal",
      "CredentialFallbackTest#aCredentialThatIsThereButCannotBeReadSaysSoWithPathReasonAndFallback"]),
    ("`systemd-analyze security` of the installed unit is at most what the README states",
     ["SystemdBootIT#securityAnalysisOfTheInstalledUnitIsAtMostWhatTheReadmeClaims",
      "SystemdUnitIT#securityExposureIsOkOrBetter"]),
]


FIGURES = "<!-- figures of runs made by script: kept by this generator -->"


def results():
    """{Class#method: [passed, failed, skipped, seconds]} from the last run's reports."""
    out = {}
    for f in glob.glob(os.path.join(ROOT, "target", "*-reports", "TEST-*.xml")):
        for case in ET.parse(f).getroot().iter("testcase"):
            cls = case.get("classname").rsplit(".", 1)[-1]
            method = case.get("name").split("(")[0]
            r = out.setdefault(cls + "#" + method, [0, 0, 0, 0.0])
            if case.find("failure") is not None or case.find("error") is not None:
                r[1] += 1
            elif case.find("skipped") is not None:
                r[2] += 1
            else:
                r[0] += 1
            r[3] += float(case.get("time") or 0)
    return out


def commit():
    r = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def verdict(r):
    if r is None:
        return "**not run**"
    passed, failed, skipped, seconds = r
    if failed:
        return "**failed** (%d of %d)" % (failed, passed + failed + skipped)
    if skipped:
        return "**skipped**"
    runs = " (%d cases)" % passed if passed > 1 else ""
    return "passed%s, %.1f s" % (runs, seconds)


def main():
    found = results()
    if not found:
        sys.exit("no test reports under target/: run `mvn verify` first")
    bad = 0
    lines = [
        "# Reliability",
        "",
        "Each promise of the fault-injection suite and the security review, the tests that prove it, and their",
        "result in the last full run (`mvn verify`, as `bash .ci/run` runs it). Regenerate after a run with",
        "`python3 deploy/reliability.py`. Tests named `*IT` run against the real kernel firewall in the testbed",
        "container, the installed `.deb`, or moto; `*Test` run in the JVM against a real HTTP server and real files.",
        "",
        "Last run: %s UTC, commit %s." % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
                                          commit()),
        "",
    ]
    for case, tests in CASES:
        if tests is None:
            lines += ["## " + case, "", "| case | test | last run |", "| --- | --- | --- |"]
            continue
        for i, t in enumerate(tests):
            v = verdict(found.get(t))
            bad += not v.startswith("passed")
            lines.append("| %s | `%s` | %s |" % (case if i == 0 else "", t, v))
        if case == CASES[-1][0] or CASES[CASES.index((case, tests)) + 1][1] is None:
            lines.append("")
    path = os.path.join(ROOT, "docs", "reliability.md")
    # The figures of runs made by script (fuzzing, mutation score, soak) live below the marker and are kept.
    kept = ""
    if os.path.exists(path):
        old = open(path).read()
        if FIGURES in old:
            kept = "\n" + old[old.index(FIGURES):]
    with open(path, "w") as f:
        f.write("\n".join(lines).rstrip() + "\n" + kept)
    print("docs/reliability.md: %d tests listed, %d not passed" % (sum(len(t) for _, t in CASES if t), bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
