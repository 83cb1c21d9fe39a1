// ManageTaskActivityIn and BusinessAgreementReplicationIn through .NET proxies generated from the
// WSDLs the server serves (tests/e2e/test_soap_dotnet.py): Mono's wsdl.exe (the classic
// "Add Web Reference" generator) writes one SoapHttpClientProtocol proxy per service, into the
// namespaces TaskActivity and BusinessAgreement, and mcs compiles this file with them.
//
//   mono client.exe <base URL> <user> <password>
//
// Writes one JSON object on one line: per call the result or the exception, the HTTP status and
// the bytes sent and received (recorded by the SOAP extension below, registered in
// client.exe.config the way .NET traces SOAP messages, and by GetWebRequest/GetWebResponse
// overrides in partial classes of the generated proxies). The test asserts on it.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Web.Services.Protocols;

// ---- the wire, as the proxy sees it ---------------------------------------------------------------
public static class Wire {
  public static HttpWebRequest Request;
  public static HttpWebResponse Response;
  public static MemoryStream Sent = new MemoryStream(), Received = new MemoryStream();

  public static void Begin() {
    Request = null;
    Response = null;
    Sent = new MemoryStream();
    Received = new MemoryStream();
  }

  public static WebResponse Record(Func<WebResponse> get) {
    try {
      WebResponse r = get();
      Response = r as HttpWebResponse;
      return r;
    } catch (WebException e) {
      Response = e.Response as HttpWebResponse;
      throw;
    }
  }

  public static string Utf8(MemoryStream s) {
    return Encoding.UTF8.GetString(s.ToArray());
  }

  public static Dictionary<string, object> Json() {
    var j = new Dictionary<string, object>();
    if (Request != null) {
      j["method"] = Request.Method;
      j["url"] = Request.RequestUri.ToString();
      j["request_headers"] = Headers(Request.Headers);
    }
    j["request"] = Utf8(Sent);
    if (Response != null) {
      j["status"] = (int)Response.StatusCode;
      j["response_headers"] = Headers(Response.Headers);
      j["content_length"] = Response.ContentLength;
    }
    j["response"] = Utf8(Received);
    return j;
  }

  static List<object> Headers(WebHeaderCollection h) {
    var list = new List<object>();
    foreach (string k in h.AllKeys) list.Add(new List<object> { k, h[k] });
    return list;
  }
}

// The classic SOAP tracing extension (System.Web.Services), registered in client.exe.config: the
// serializer writes into a buffer that goes on the wire after serialization, and the answer is
// read into a buffer before deserialization (the streams may only be touched in those stages).
public class TraceExtension : SoapExtension {
  Stream wire;
  MemoryStream buffer;
  public override object GetInitializer(LogicalMethodInfo m, SoapExtensionAttribute a) { return null; }
  public override object GetInitializer(Type t) { return null; }
  public override void Initialize(object o) {}
  public override Stream ChainStream(Stream s) {
    wire = s;
    buffer = new MemoryStream();
    return buffer;
  }
  public override void ProcessMessage(SoapMessage m) {
    if (m.Stage == SoapMessageStage.AfterSerialize) {
      buffer.Position = 0;
      buffer.CopyTo(Wire.Sent);
      buffer.Position = 0;
      buffer.CopyTo(wire);
    } else if (m.Stage == SoapMessageStage.BeforeDeserialize) {
      wire.CopyTo(buffer);
      buffer.Position = 0;
      buffer.CopyTo(Wire.Received);
      buffer.Position = 0;
    }
  }
}

namespace TaskActivity {
  public partial class service {
    protected override WebRequest GetWebRequest(Uri uri) {
      Wire.Request = (HttpWebRequest)base.GetWebRequest(uri);
      return Wire.Request;
    }
    protected override WebResponse GetWebResponse(WebRequest request) {
      return Wire.Record(() => base.GetWebResponse(request));
    }
  }
}

namespace BusinessAgreement {
  public partial class service {
    protected override WebRequest GetWebRequest(Uri uri) {
      Wire.Request = (HttpWebRequest)base.GetWebRequest(uri);
      return Wire.Request;
    }
    protected override WebResponse GetWebResponse(WebRequest request) {
      return Wire.Record(() => base.GetWebResponse(request));
    }
  }
}

// ---- a small JSON writer --------------------------------------------------------------------------
public static class Json {
  public static string Write(object v) {
    var sb = new StringBuilder();
    Value(sb, v);
    return sb.ToString();
  }

  static void Value(StringBuilder sb, object v) {
    if (v == null) {
      sb.Append("null");
    } else if (v is string) {
      Str(sb, (string)v);
    } else if (v is bool) {
      sb.Append((bool)v ? "true" : "false");
    } else if (v is int || v is long || v is double) {
      sb.Append(Convert.ToString(v, CultureInfo.InvariantCulture));
    } else if (v is IDictionary<string, object>) {
      sb.Append('{');
      bool first = true;
      foreach (var kv in (IDictionary<string, object>)v) {
        if (!first) sb.Append(',');
        first = false;
        Str(sb, kv.Key);
        sb.Append(':');
        Value(sb, kv.Value);
      }
      sb.Append('}');
    } else if (v is IEnumerable) {
      sb.Append('[');
      bool first = true;
      foreach (object x in (IEnumerable)v) {
        if (!first) sb.Append(',');
        first = false;
        Value(sb, x);
      }
      sb.Append(']');
    } else {
      Str(sb, v.ToString());
    }
  }

  static void Str(StringBuilder sb, string s) {
    sb.Append('"');
    foreach (char c in s) {
      switch (c) {
        case '"': sb.Append("\\\""); break;
        case '\\': sb.Append("\\\\"); break;
        case '\n': sb.Append("\\n"); break;
        case '\r': sb.Append("\\r"); break;
        case '\t': sb.Append("\\t"); break;
        default:
          if (c < 0x20) sb.AppendFormat("\\u{0:x4}", (int)c);
          else sb.Append(c);  // UTF-8 on output
          break;
      }
    }
    sb.Append('"');
  }
}

public static class Program {
  const string TaskPath = "/sap/bc/srt/scs/sap/managetaskactivityin";
  const string BuagPath = "/sap/bc/srt/scs/sap/businessagreementreplicationin";
  static readonly Dictionary<string, object> Out = new Dictionary<string, object>();

  // ---- results as plain values ----
  static object Confirmation(TaskActivity.TaskActivityMaintainConfirmationBundleMessage_sync_V1 c) {
    var tasks = new List<object>();
    foreach (var t in c.ActivityTask ?? new TaskActivity.TaskActivityMaintainConfirmationBundle_V1[0]) {
      tasks.Add(new Dictionary<string, object> {
        { "ReferenceObjectNodeSenderTechnicalID", t.ReferenceObjectNodeSenderTechnicalID },
        { "ChangeStateID", t.ChangeStateID }, { "UUID", t.UUID }, { "ID", t.ID } });
    }
    object log = null;
    if (c.Log != null) {
      var items = new List<object>();
      foreach (var i in c.Log.Item ?? new TaskActivity.LogItem[0]) {
        items.Add(new Dictionary<string, object> {
          { "TypeID", i.TypeID }, { "SeverityCode", i.SeverityCode },
          { "ReferenceObjectNodeSenderTechnicalID", i.ReferenceObjectNodeSenderTechnicalID }, { "Note", i.Note } });
      }
      log = new Dictionary<string, object> {
        { "BusinessDocumentProcessingResultCode", c.Log.BusinessDocumentProcessingResultCode },
        { "MaximumLogItemSeverityCode", c.Log.MaximumLogItemSeverityCode }, { "Item", items } };
    }
    return new Dictionary<string, object> { { "ActivityTask", tasks }, { "Log", log } };
  }

  static Dictionary<string, object> Error(Exception e) {
    var j = new Dictionary<string, object> {
      { "type", e.GetType().FullName }, { "message", e.Message }, { "text", e.ToString() } };
    var soap = e as SoapException;
    if (soap != null) {
      j["code"] = soap.Code == null ? null : soap.Code.Namespace + "#" + soap.Code.Name;
      j["subcode"] = soap.SubCode == null || soap.SubCode.Code == null ? null : soap.SubCode.Code.Name;
      j["actor"] = soap.Actor;
      j["lang"] = soap.Lang;
      j["detail"] = soap.Detail == null ? null : soap.Detail.OuterXml;
    }
    var web = e as WebException;
    if (web != null) {
      j["status_kind"] = web.Status.ToString();
      var r = web.Response as HttpWebResponse;
      if (r != null) {
        j["http_status"] = (int)r.StatusCode;
        j["www_authenticate"] = r.Headers["WWW-Authenticate"];
      }
    }
    return j;
  }

  // One call: its result or its exception, the wire, the time it took.
  static void Step(string name, Func<object> call) {
    Wire.Begin();
    var j = new Dictionary<string, object>();
    var clock = Stopwatch.StartNew();
    try {
      j["result"] = call();
    } catch (Exception e) {
      j["error"] = Error(e);
    }
    j["ms"] = clock.ElapsedMilliseconds;
    j["wire"] = Wire.Json();
    Out[name] = j;
  }

  // ---- requests ----
  static TaskActivity.TaskActivityMaintainRequestBundle_V1 NewTask(string sender, TaskActivity.ActionCode? action) {
    var t = new TaskActivity.TaskActivityMaintainRequestBundle_V1();
    t.ObjectNodeSenderTechnicalID = sender;
    if (action.HasValue) {
      t.actionCode = action.Value;
      t.actionCodeSpecified = true;  // the generated xxxSpecified flags: unset, the attribute is left out
    }
    return t;
  }

  static TaskActivity.TaskActivityMaintainRequestBundleParty Party(string partner, string employee) {
    return new TaskActivity.TaskActivityMaintainRequestBundleParty { BusinessPartnerInternalID = partner, EmployeeID = employee };
  }

  static TaskActivity.LOCALNORMALISED_DateTime At(DateTime utc, string zone) {
    return new TaskActivity.LOCALNORMALISED_DateTime { Value = utc, timeZoneCode = zone };
  }

  static TaskActivity.TaskActivityMaintainRequestBundleMessage_sync_V1 Bundle(
      params TaskActivity.TaskActivityMaintainRequestBundle_V1[] tasks) {
    return new TaskActivity.TaskActivityMaintainRequestBundleMessage_sync_V1 { ActivityTask = tasks };
  }

  public static int Main(string[] args) {
    if (args.Length != 3) {
      Console.Error.WriteLine("usage: client.exe <base URL> <user> <password>");
      return 2;
    }
    string baseUrl = args[0], user = args[1], password = args[2];
    var runtime = Type.GetType("Mono.Runtime");
    Out["runtime"] = runtime == null ? Environment.Version.ToString()
        : (string)runtime.GetMethod("GetDisplayName", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static).Invoke(null, null);

    // The proxy as .NET code sets it up: the address from configuration (here: the command line,
    // the generated default names the server the WSDL came from), NetworkCredential, PreAuthenticate.
    var tasks = new TaskActivity.service();
    tasks.Url = baseUrl + TaskPath;
    tasks.Credentials = new NetworkCredential(user, password);
    tasks.PreAuthenticate = true;
    tasks.Timeout = 30000;

    // 1. Create two tasks with the nested parts (SOAP 1.1: the `binding` port wsdl.exe picked).
    const string uuid = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
    var a = NewTask("N1", TaskActivity.ActionCode.Item01);
    a.textListCompleteTransimissionIndicator = true;
    a.textListCompleteTransimissionIndicatorSpecified = true;
    a.UUID = uuid;
    a.Name = "Rückruf – Müller (.NET)";
    a.PriorityCode = TaskActivity.PriorityCode.Item1;
    a.PriorityCodeSpecified = true;
    a.ScheduledPeriod = new TaskActivity.TaskActivityMaintainRequestBundleScheduledPeriod {
      StartDateTime = At(new DateTime(2024, 9, 2, 7, 0, 0, DateTimeKind.Utc), "CET"),
      EndDateTime = At(new DateTime(2024, 9, 3, 15, 45, 0, DateTimeKind.Utc).AddTicks(1234567), "UTC-5") };
    a.ProcessorParty = Party(null, "E0001");
    a.MainActivityParty = Party("MC9785", null);
    var mainRef = Party("MCP6049", null);
    mainRef.MainIndicator = true;
    mainRef.MainIndicatorSpecified = true;
    a.ReferenceParty = new[] { mainRef, Party("MCPB9785", null) };
    a.BusinessTransactionDocumentReference = new[] {
      new TaskActivity.TaskActivityMaintainRequestBundleBusinessTransactionDocumentReference {
        actionCode = TaskActivity.ActionCode.Item01, actionCodeSpecified = true, ID = "4711", TypeCode = "72", RoleCode = "1" } };
    a.Text = new[] { new TaskActivity.TaskActivityMaintainRequestBundleText {
      actionCode = TaskActivity.ActionCode.Item01, actionCodeSpecified = true, TextTypeCode = "10002", LanguageCode = "DE",
      ContentText = "Grüße aus .NET – ½ € 👍" } };
    var b = NewTask("N2", TaskActivity.ActionCode.Item01);
    b.Name = "Second from .NET";
    b.ProcessorParty = Party("MC2471", null);
    b.EmployeeResponsibleParty = Party(null, "E0002");
    var create = Bundle(a, b);
    create.BasicMessageHeader = new TaskActivity.BusinessDocumentBasicMessageHeader { ID = "DOTNET-CREATE-1" };
    TaskActivity.TaskActivityMaintainConfirmationBundleMessage_sync_V1 created = null;
    Step("create", () => Confirmation(created = tasks.MaintainBundle(create)));
    string changeState = created != null && created.ActivityTask != null && created.ActivityTask.Length > 0
        ? created.ActivityTask[0].ChangeStateID : "";

    // 2. Update with the returned change state, over SOAP 1.2 (the proxy's SoapVersion property).
    var u = NewTask("N3", TaskActivity.ActionCode.Item02);
    u.ChangeStateID = changeState;
    u.UUID = uuid;
    u.LifeCycleStatusCode = TaskActivity.ActivityLifeCycleStatusCode.Item2;
    u.LifeCycleStatusCodeSpecified = true;
    u.referencePartyListCompleteTransimissionIndicator = true;
    u.referencePartyListCompleteTransimissionIndicatorSpecified = true;
    u.ReferenceParty = new[] { Party("MCP17101", null) };
    tasks.SoapVersion = SoapProtocolVersion.Soap12;
    Step("update12", () => Confirmation(tasks.MaintainBundle(Bundle(u))));
    tasks.SoapVersion = SoapProtocolVersion.Default;

    // 3. The create's change state again: stale now (a Log error, nothing changed).
    var s = NewTask("N4", TaskActivity.ActionCode.Item02);
    s.ChangeStateID = changeState;
    s.UUID = uuid;
    s.Name = "stale from .NET";
    Step("stale", () => Confirmation(tasks.MaintainBundle(Bundle(s))));

    // 4. CheckMaintainBundle: a create that would succeed, one with an unknown partner.
    var ok = NewTask("C1", TaskActivity.ActionCode.Item01);
    ok.Name = "checked only (.NET)";
    var bad = NewTask("C2", TaskActivity.ActionCode.Item01);
    bad.Name = "checked only (.NET)";
    bad.MainActivityParty = Party("NOPE", null);
    Step("check", () => Confirmation(tasks.CheckMaintainBundle(Bundle(ok, bad))));

    // 5. Schema faults: a UUID that is none (strings are not checked on the client), per version.
    var f = NewTask("F1", null);
    f.UUID = "not-a-uuid";
    f.Name = "schema fault (.NET)";
    Step("fault11", () => Confirmation(tasks.MaintainBundle(Bundle(f))));
    tasks.SoapVersion = SoapProtocolVersion.Soap12;
    Step("fault12", () => Confirmation(tasks.MaintainBundle(Bundle(f))));
    tasks.SoapVersion = SoapProtocolVersion.Default;

    // 6. BusinessAgreementReplicationIn, one-way: HTTP 202 with an empty body, then a schema fault.
    var agreements = new BusinessAgreement.service();
    agreements.Url = baseUrl + BuagPath;
    agreements.Credentials = new NetworkCredential(user, password);
    agreements.PreAuthenticate = true;
    agreements.Timeout = 30000;
    var ba = new BusinessAgreement.BusinessAgreementReplicateRequestBusinessAgreement {
      actionCode = BusinessAgreement.ActionCode.Item01, actionCodeSpecified = true,
      relationshipListCompleteTransmissionIndicator = true, relationshipListCompleteTransmissionIndicatorSpecified = true,
      ObjectNodeSenderTechnicalID = "NB1", ID = "000000700081", Name = "Bäckerei from .NET", BusinessPartnerInternalID = "UC100002",
      AccountDetermination = new BusinessAgreement.BusinessAgreementReplicateRequestAccountDetermination { AccountDeterminationCode = "01" },
      Relationship = new[] { new BusinessAgreement.BusinessAgreementReplicateRequestRelationship {
        RoleCode = "ZREL", BusinessPartnerInternalID = "UC100003",
        ValidityPeriod = new BusinessAgreement.BusinessAgreementReplicateRequestValidityPeriod {
          StartDate = new DateTime(2024, 1, 1), StartDateSpecified = true,
          EndDate = new DateTime(9999, 12, 31), EndDateSpecified = true } } },
      DirectResponsibility = new[] { new BusinessAgreement.BusinessAgreementReplicateRequestDirectResponsibility {
        PartyRoleCode = "142", EmployeeID = "E0101" } },
      PaymentData = new[] { new BusinessAgreement.BusinessAgreementReplicateRequestPaymentData {
        PaymentDirectionCode = BusinessAgreement.PaymentDirectionCode.Item1, PaymentDirectionCodeSpecified = true,
        PaymentMethodCode = "D" } },
      Text = new[] { new BusinessAgreement.BusinessAgreementReplicateRequestText {
        actionCode = BusinessAgreement.ActionCode.Item01, actionCodeSpecified = true, TextTypeCode = "10001",
        LanguageCode = "DE", ContentText = "über .NET" } } };
    Step("buag", () => {
      agreements.ReplicateBusinessAgreement(new BusinessAgreement.BusinessAgreementReplicateRequestMessage {
        BasicMessageHeader = new BusinessAgreement.BusinessDocumentBasicMessageHeader { UUID = "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918" },
        BusinessAgreement = ba });
      return "void";
    });
    Step("buag_fault", () => {
      agreements.ReplicateBusinessAgreement(new BusinessAgreement.BusinessAgreementReplicateRequestMessage {
        BasicMessageHeader = new BusinessAgreement.BusinessDocumentBasicMessageHeader { ID = "DOTNET-BA-2" },
        BusinessAgreement = new BusinessAgreement.BusinessAgreementReplicateRequestBusinessAgreement {
          ID = "000000700082", Name = new string('n', 41) } });
      return "void";
    });

    // 7. A wrong password: 401, a WebException (ProtocolError) with the challenge.
    var wrong = new TaskActivity.service();
    wrong.Url = baseUrl + TaskPath;
    wrong.Credentials = new NetworkCredential(user, "wrong");
    wrong.PreAuthenticate = true;
    var never = NewTask("W1", null);
    never.Name = "never";
    Step("wrong_password", () => Confirmation(wrong.MaintainBundle(Bundle(never))));

    var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
    stdout.WriteLine(Json.Write(Out));
    stdout.Flush();
    return 0;
  }
}
