/* What test_odata_ui5.py runs in the browser: the real sap.ui.model.odata.v2.ODataModel against
 * BC_EXT_APPJOB_MANAGEMENT, the way an app calls it. `window.causeway.run({useBatch})` returns one
 * record per step: {ok: true, value} or {ok: false, error} (an error callback's oError, with its
 * responseText parsed), so that the Python side asserts every outcome and prints what UI5 saw. */
/* global sap */
(function () {
	"use strict";

	var SERVICE = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/";
	var STEP_TIMEOUT_MS = 20000;

	window.causeway = {ready: false};

	sap.ui.require([
		"sap/ui/model/odata/v2/ODataModel",
		"sap/ui/model/Filter",
		"sap/ui/model/FilterOperator",
		"sap/ui/model/Sorter",
		"sap/ui/core/Messaging"
	], function (ODataModel, Filter, FilterOperator, Sorter, Messaging) {

		function sleep(ms) {
			return new Promise(function (resolve) { setTimeout(resolve, ms); });
		}

		function withTimeout(promise, ms, what) {
			return Promise.race([promise, sleep(ms).then(function () {
				throw new Error("timeout: no callback from UI5 within " + ms + " ms (" + what + ")");
			})]);
		}

		// An error callback's oError as data, with responseText parsed as a Gateway error if it is one.
		// A list binding's first `count` template names, read the way a control reads them.
		function readList(binding, count) {
			return new Promise(function (resolve, reject) {
				binding.attachDataReceived(function (e) {
					var error = e.getParameter("error");
					if (error) {
						reject(errorInfo(error));
						return;
					}
					resolve({length: binding.getLength(), lengthFinal: binding.isLengthFinal(),
						names: binding.getContexts(0, count).map(function (c) {
							return c.getProperty("JobTemplateName");
						})});
				});
				binding.initialize(); // what a control does when the binding is set
				binding.getContexts(0, count);
			});
		}

		function errorInfo(oError) {
			var headers = {};
			Object.keys(oError && oError.headers || {}).forEach(function (name) { // datajs: an array with names
				headers[name] = oError.headers[name];
			});
			var info = {
				message: oError && oError.message,
				statusCode: oError && oError.statusCode,
				statusText: oError && oError.statusText,
				headers: headers,
				responseText: oError && oError.responseText
			};
			try {
				info.gateway = JSON.parse(oError.responseText).error;
			} catch (e) {
				info.parseError = String(e);
			}
			return info;
		}

		function plain(value) {
			return JSON.parse(JSON.stringify(value === undefined ? null : value));
		}

		function read(model, path, params) {
			return new Promise(function (resolve, reject) {
				model.read(path, Object.assign({}, params, {
					success: function (data, response) {
						resolve({data: plain(data), statusCode: response && response.statusCode});
					},
					error: function (oError) { reject(errorInfo(oError)); }
				}));
			});
		}

		function call(model, name, method, urlParameters, settings) {
			return new Promise(function (resolve, reject) {
				model.callFunction("/" + name, Object.assign({}, settings, {
					method: method,
					urlParameters: urlParameters,
					success: function (data, response) {
						resolve({data: plain(data), statusCode: response && response.statusCode});
					},
					error: function (oError) { reject(errorInfo(oError)); }
				}));
			});
		}

		// The messages UI5's ODataMessageParser put into the message model.
		function messages() {
			return Messaging.getMessageModel().getData().map(function (m) {
				return {message: m.getMessage(), type: m.getType(), code: m.getCode(), technical: m.getTechnical()};
			});
		}

		async function step(out, name, fn) {
			var t0 = performance.now();
			try {
				var value = await withTimeout(Promise.resolve().then(fn), STEP_TIMEOUT_MS, name);
				out[name] = {ok: true, value: plain(value), ms: Math.round(performance.now() - t0)};
				return value;
			} catch (e) {
				out[name] = {ok: false, ms: Math.round(performance.now() - t0),
					error: e instanceof Error ? {message: e.message, stack: e.stack} : plain(e)};
				return undefined;
			}
		}

		// An expected rejection: the error callback's oError is the step's value; a success is a failure.
		async function expectError(out, name, fn) {
			return step(out, name, function () {
				return fn().then(function (result) {
					throw new Error("expected the error callback, got success: " + JSON.stringify(result));
				}, function (oError) {
					if (oError instanceof Error) {
						throw oError;
					}
					return oError;
				});
			});
		}

		async function statusUntil(model, job, wanted, timeoutMs) {
			var seen = [], deadline = Date.now() + timeoutMs;
			for (;;) {
				var r = await call(model, "JobStatusGet", "GET", {JobName: job.JobName, JobRunCount: job.JobRunCount});
				var status = r.data.JobStatus;
				if (seen[seen.length - 1] !== status) {
					seen.push(status);
				}
				if (wanted.indexOf(status) >= 0) {
					return {status: status, seen: seen, last: r.data};
				}
				if (Date.now() > deadline) {
					throw new Error("job did not reach " + wanted + ": statuses seen " + seen.join(","));
				}
				await sleep(100);
			}
		}

		function sleepParameters(seconds) {
			return JSON.stringify({VALUES: [{STEP_NR: 1, NAME: "P_SECONDS",
				T_VALUE: [{SIGN: "I", OPTION: "EQ", LOW: String(seconds), HIGH: ""}]}]});
		}

		async function run(options) {
			var out = {}, tag = options.tag;
			var model = new ODataModel(SERVICE, {useBatch: options.useBatch});
			var metadataFailed = null;
			model.attachMetadataFailed(function (e) { metadataFailed = plain(e.getParameters()); });

			// 1. $metadata (and the model's view of it).
			await step(out, "metadata", async function () {
				try {
					await model.metadataLoaded(true);
				} catch (e) {
					throw new Error("metadataLoaded rejected: " + JSON.stringify(metadataFailed || String(e)));
				}
				var container = model.getServiceMetadata().dataServices.schema[0].entityContainer[0];
				return {
					entitySets: container.entitySet.map(function (s) { return s.name; }),
					functionImports: container.functionImport.map(function (f) { return f.name; }),
					jobScheduleMethod: container.functionImport.filter(function (f) {
						return f.name === "JobSchedule";
					})[0].httpMethod
				};
			});
			if (!out.metadata.ok) {
				return out;
			}

			// 2. Reads: the set, one entity by its key, filter + orderby, a list binding as a table has it.
			var templates = await step(out, "templates", function () {
				return read(model, "/JobTemplateSet").then(function (r) {
					return r.data.results.map(function (t) {
						return {name: t.JobTemplateName, version: t.JobTemplateVersion, text: t.JobTemplateText,
							uri: t.__metadata && t.__metadata.uri};
					});
				});
			});
			var noop = (templates || []).filter(function (t) { return t.name === "ZCW_DEMO_NOOP"; })[0];
			if (noop) {
				await step(out, "templateByKey", function () {
					var path = model.createKey("/JobTemplateSet",
						{JobTemplateName: noop.name, JobTemplateVersion: noop.version});
					return read(model, path).then(function (r) {
						return {path: path, name: r.data.JobTemplateName, text: r.data.JobTemplateText};
					});
				});
			}
			await step(out, "templateWithSlashByKey", function () {
				var path = model.createKey("/JobTemplateSet",
					{JobTemplateName: "/IBP/LOG_DELETION", JobTemplateVersion: "0"});
				return read(model, path).then(function (r) {
					return {path: path, name: r.data.JobTemplateName, text: r.data.JobTemplateText,
						property: model.getProperty(path + "/JobTemplateText")};
				});
			});
			await step(out, "templatesFiltered", function () {
				return read(model, "/JobTemplateSet", {
					filters: [new Filter("JobTemplateName", FilterOperator.StartsWith, "ZCW_DEMO_")],
					sorters: [new Sorter("JobTemplateName", true)]
				}).then(function (r) {
					return r.data.results.map(function (t) { return t.JobTemplateName; });
				});
			});
			await step(out, "templatesSelect", function () {
				return read(model, "/JobTemplateSet", {urlParameters: {"$select": "JobTemplateName,JobTemplateText"}})
					.then(function (r) {
						return r.data.results.map(function (t) { return Object.keys(t).sort(); });
					});
			});
			await step(out, "listBinding", function () {
				return readList(model.bindList("/JobTemplateSet"), 100);
			});

			await step(out, "listBindingInlineCount", function () {
				return readList(model.bindList("/JobTemplateSet", undefined,
					[new Sorter("JobTemplateName")], [new Filter("JobTemplateName", FilterOperator.Contains, "DEMO")],
					{countMode: "Inline"}), 3);
			});

			// 3. JobSchedule (POST: in a change set with $batch, after the CSRF token fetch), its status,
			// its steps and the job list.
			var text = "ui5-" + tag;
			var job = await step(out, "schedule", function () {
				return call(model, "JobSchedule", "POST",
					{JobTemplateName: "ZCW_DEMO_NOOP", JobText: text, JobUser: "PLANNER"}).then(function (r) {
					return r.data;
				});
			});
			if (job) {
				await step(out, "statusFinished", function () { return statusUntil(model, job, ["F", "A"], 15000); });
				await step(out, "jobinfo", function () {
					return call(model, "JobinfoGet", "GET", {JobName: job.JobName, JobRunCount: job.JobRunCount})
						.then(function (r) { return r.data.results; });
				});
				// The Application Jobs app's read: the job header with its steps expanded.
				await step(out, "jobHeaderExpand", function () {
					var path = model.createKey("/JobHeaderSet", {JobName: job.JobName, JobRunCount: job.JobRunCount});
					return read(model, path, {urlParameters: {"$expand": "JobStepSet"}}).then(function (r) {
						var steps = model.getProperty(path + "/JobStepSet") || [];
						return {JobName: r.data.JobName, JobStatus: r.data.JobStatus, JobTemplateName: r.data.JobTemplateName,
							steps: steps.map(function (stepPath) {
								return model.getProperty("/" + stepPath + "/StepStatus");
							})};
					});
				});
				await step(out, "joblist", function () {
					return call(model, "JobListGet", "GET", {JobText: text}).then(function (r) {
						return r.data.results.map(function (j) {
							return {JobName: j.JobName, JobRunCount: j.JobRunCount, JobText: j.JobText,
								JobStatus: j.JobStatus, TemplateName: j.TemplateName};
						});
					});
				});
			}

			// Several calls issued together: one $batch with GETs and a change set, as a view's
			// bindings and an action produce them; each callback gets its own part's answer.
			await step(out, "together", function () {
				return Promise.all([
					read(model, "/JobTemplateSet").then(function (r) { return r.data.results.length; }),
					call(model, "JobSchedule", "POST",
						{JobTemplateName: "ZCW_DEMO_NOOP", JobText: text + "-together", JobUser: "PLANNER"})
						.then(function (r) { return r.data; }),
					call(model, "JobListGet", "GET", {JobText: text}).then(function (r) { return r.data.results.length; })
				]).then(function (all) {
					return {templates: all[0], scheduled: all[1], listed: all[2]};
				});
			});

			// A long job with parameters in JobParameterValuesSimple, running, then JobCancel.
			var sleeper = await step(out, "scheduleSleep", function () {
				return call(model, "JobSchedule", "POST", {JobTemplateName: "ZCW_DEMO_SLEEP", JobText: text + "-sleep",
					JobUser: "PLANNER", JobParameterValuesSimple: sleepParameters(30)}).then(function (r) {
					return r.data;
				});
			});
			if (sleeper) {
				var running = await step(out, "statusRunning", function () {
					return statusUntil(model, sleeper, ["R"], 15000);
				});
				if (running) {
					var cancelled = await step(out, "cancel", function () {
						return call(model, "JobCancel", "POST",
							{JobName: sleeper.JobName, JobRunCount: sleeper.JobRunCount}).then(function (r) {
							return r.data;
						});
					});
					if (cancelled) {
						await step(out, "statusCancelled", function () {
							return statusUntil(model, sleeper, ["C"], 15000);
						});
					}
				}
			}

			// Parameter values UI5 must quote and percent-encode: apostrophe, plus, percent, ampersand,
			// hash, slash, question mark, non-ASCII; found again through JobListGet's JobText.
			var oddText = "ui5 O'Brien + 50% & \u00fc #/? " + tag;
			var odd = await step(out, "scheduleOddText", function () {
				return call(model, "JobSchedule", "POST",
					{JobTemplateName: "ZCW_DEMO_NOOP", JobText: oddText, JobUser: "PLANNER"}).then(function (r) {
					return r.data;
				});
			});
			if (odd) {
				await step(out, "listOddText", function () {
					return call(model, "JobListGet", "GET", {JobText: oddText}).then(function (r) {
						return {wanted: oddText, found: r.data.results.map(function (j) {
							return {JobName: j.JobName, JobText: j.JobText};
						})};
					});
				});
			}
			// Edm.DateTime parameters as UI5 formats them from Date objects: datetime'yyyy-MM-ddTHH:mm:ss'.
			await step(out, "listByCreationTime", function () {
				return call(model, "JobListGet", "GET", {CreationTimeFrom: new Date(Date.now() - 600000),
					CreationTimeTo: new Date(Date.now() + 600000), TemplateName: "ZCW_DEMO_NOOP"}).then(function (r) {
					return r.data.results.map(function (j) { return j.JobText; });
				});
			});

			// One change set with two JobSchedule calls, the second for a template that does not exist:
			// both error callbacks, nothing scheduled (the change set is one unit).
			if (options.useBatch) {
				model.setDeferredGroups(["atomic"]);
				var atomicText = "ui5-atomic-" + tag;
				await step(out, "changeSetAtomic", function () {
					var first = call(model, "JobSchedule", "POST", {JobTemplateName: "ZCW_DEMO_NOOP", JobText: atomicText,
						JobUser: "PLANNER"}, {groupId: "atomic", changeSetId: "cs"});
					var second = call(model, "JobSchedule", "POST", {JobTemplateName: "ZCW_NO_SUCH_TEMPLATE",
						JobText: atomicText, JobUser: "PLANNER"}, {groupId: "atomic", changeSetId: "cs"});
					model.submitChanges({groupId: "atomic"});
					function settle(p) {
						return p.then(function (r) { return {success: r.data}; }, function (e) { return {error: e}; });
					}
					return Promise.all([settle(first), settle(second)]).then(function (both) {
						return call(model, "JobListGet", "GET", {JobText: atomicText}).then(function (r) {
							return {first: both[0], second: both[1], listed: r.data.results.length};
						});
					});
				});
			}

			// The session ends (its cookie is gone, as after a timeout or a server-side logoff): the next
			// POST carries a token of the old session, the server answers 403 with "x-csrf-token: Required",
			// UI5 fetches a new token and repeats the request, and the caller sees only the success.
			if (window.causewayClearCookies) {
				await window.causewayClearCookies();
				await step(out, "afterSessionLoss", function () {
					return call(model, "JobSchedule", "POST",
						{JobTemplateName: "ZCW_DEMO_NOOP", JobText: text + "-relogon", JobUser: "PLANNER"}).then(function (r) {
						return r.data;
					});
				});
			}

			// 5. Errors the server must answer: the error callback gets the status and the Gateway text.
			Messaging.removeAllMessages();
			await expectError(out, "errorUnknownJob", function () {
				return call(model, "JobStatusGet", "GET",
					{JobName: "0123456789ABCDEF0123456789ABCDEF", JobRunCount: "00000001"});
			});
			out.errorUnknownJobMessages = {ok: true, value: messages()};
			Messaging.removeAllMessages();
			await expectError(out, "errorUnknownTemplate", function () {
				return call(model, "JobSchedule", "POST",
					{JobTemplateName: "ZCW_NO_SUCH_TEMPLATE", JobText: text, JobUser: "PLANNER"});
			});
			out.errorUnknownTemplateMessages = {ok: true, value: messages()};

			model.destroy();
			return out;
		}

		window.causeway.run = run;
		window.causeway.version = sap.ui.version;
		window.causeway.ready = true;
	}, function (error) {
		window.causeway.loadError = String(error && error.stack || error);
	});
}());
