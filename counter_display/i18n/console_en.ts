<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ConsoleScreen</name>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="23"/>
        <source>Counter sign-in</source>
        <translation>Counter sign-in</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="24"/>
        <source>Officer code</source>
        <translation>Officer code</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="25"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="26"/>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="27"/>
        <source>Choose your counter</source>
        <translation>Choose your counter</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="28"/>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="29"/>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="30"/>
        <source>Call next</source>
        <translation>Call next</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="31"/>
        <source>Recall</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="32"/>
        <source>Start service</source>
        <translation>Start service</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="33"/>
        <source>Complete</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="34"/>
        <location filename="../console/qml/ConsoleScreen.qml" line="61"/>
        <source>No-show</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="35"/>
        <source>Transfer</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="36"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="37"/>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="38"/>
        <source>Open counter</source>
        <translation>Open counter</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="39"/>
        <source>Close counter</source>
        <translation>Close counter</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="40"/>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="41"/>
        <source>To the front of the queue</source>
        <translation>To the front of the queue</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="42"/>
        <source>Transfer %1 to which service?</source>
        <translation>Transfer %1 to which service?</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="43"/>
        <source>Why are you pausing?</source>
        <translation>Why are you pausing?</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="44"/>
        <source>Break</source>
        <translation>Break</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="45"/>
        <source>Prayer break</source>
        <translation>Prayer break</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="46"/>
        <source>System problem</source>
        <translation>System problem</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="47"/>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="48"/>
        <source>Current ticket</source>
        <translation>Current ticket</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="49"/>
        <source>No ticket at the counter</source>
        <translation>No ticket at the counter</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="50"/>
        <source>Called, waiting for the citizen</source>
        <translation>Called, waiting for the citizen</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="51"/>
        <source>Being served</source>
        <translation>Being served</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="52"/>
        <source>Counter open</source>
        <translation>Counter open</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="53"/>
        <source>Counter paused: %1</source>
        <translation>Counter paused: %1</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="54"/>
        <source>Counter closed</source>
        <translation>Counter closed</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="55"/>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="56"/>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="57"/>
        <source>%1 waiting</source>
        <translation>%1 waiting</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="58"/>
        <source>My figures today</source>
        <translation>My figures today</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="59"/>
        <source>Called</source>
        <translation>Called</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="60"/>
        <source>Served</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="62"/>
        <source>Transferred</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="63"/>
        <source>Average service</source>
        <translation>Average service</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="64"/>
        <source>Connected</source>
        <translation>Connected</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="65"/>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="66"/>
        <source>Server offline</source>
        <translation>Server offline</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="67"/>
        <source>No network</source>
        <translation>No network</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="68"/>
        <source>Nobody is waiting</source>
        <translation>Nobody is waiting</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="69"/>
        <source>Wrong officer code or PIN</source>
        <translation>Wrong officer code or PIN</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="70"/>
        <source>Too many wrong PINs: try again in %1 seconds</source>
        <translation>Too many wrong PINs: try again in %1 seconds</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="71"/>
        <source>Server unreachable: check the network and try again</source>
        <translation>Server unreachable: check the network and try again</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="72"/>
        <source>Please sign in again</source>
        <translation>Please sign in again</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="73"/>
        <source>This counter is not assigned to this device</source>
        <translation>This counter is not assigned to this device</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="74"/>
        <source>Finish the current ticket first</source>
        <translation>Finish the current ticket first</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="75"/>
        <source>The counter is paused: resume it first</source>
        <translation>The counter is paused: resume it first</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="76"/>
        <source>The counter is closed: open it first</source>
        <translation>The counter is closed: open it first</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="77"/>
        <source>There is no ticket at this counter</source>
        <translation>There is no ticket at this counter</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="78"/>
        <source>Not possible for this ticket now</source>
        <translation>Not possible for this ticket now</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="79"/>
        <source>Unknown service</source>
        <translation>Unknown service</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="80"/>
        <source>Unknown counter</source>
        <translation>Unknown counter</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="81"/>
        <source>That service is closed</source>
        <translation>That service is closed</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="82"/>
        <source>The server could not save: try again</source>
        <translation>The server could not save: try again</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="83"/>
        <source>The server refused the request (%1)</source>
        <translation>The server refused the request (%1)</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="84"/>
        <source>Came back (%1)</source>
        <translation>Came back (%1)</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="85"/>
        <source>Which citizen came back?</source>
        <translation>Which citizen came back?</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="86"/>
        <source>A no-show who comes back in time goes to the front of the queue with the same number</source>
        <translation>A no-show who comes back in time goes to the front of the queue with the same number</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="87"/>
        <source>%1 min left</source>
        <translation>%1 min left</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="88"/>
        <source>%1 is back at the front of the queue</source>
        <translation>%1 is back at the front of the queue</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="89"/>
        <source>Too late to come back (after %1 min): the citizen takes a new number</source>
        <translation>Too late to come back (after %1 min): the citizen takes a new number</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="91"/>
        <source>Voice guidance: go to the citizen</source>
        <translation>Voice guidance: go to the citizen</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="92"/>
        <source>Priority: elderly (60+)</source>
        <translation>Priority: elderly (60+)</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="93"/>
        <source>Priority: person with a disability</source>
        <translation>Priority: person with a disability</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="94"/>
        <source>Priority: pregnant</source>
        <translation>Priority: pregnant</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="95"/>
        <source>Priority: with a small child</source>
        <translation>Priority: with a small child</translation>
    </message>
    <message>
        <location filename="../console/qml/ConsoleScreen.qml" line="96"/>
        <source>Priority</source>
        <translation>Priority</translation>
    </message>
</context>
</TS>
