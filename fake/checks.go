package fake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
)

// The fake checks a request body with gen's checks, the ones the client
// runs before it sends: what api/openapi.yaml requires, its bounds and its
// patterns. A field the spec gains is checked with no edit here. Clients
// that skip those checks (Clerk's SDKs in other languages, curl) get
// Clerk's answer: a required field that is absent, null or blank is
// missing; any other broken rule makes the value invalid. An optional
// field sent as null is no value at all, as if it were left out: the
// generated types read null so, and bodyGiven agrees.

// specRefusal turns what a gen.Validate function found into Clerk's error,
// with meta.param_name naming the field, or nil when it found nothing.
// Or it reports notFound, for an id of the path that breaks its rule: it
// names no organization or invitation there can be, and Clerk answers it
// as any id it does not know, with a 404 the caller gives.
func specRefusal(ctx context.Context, err error) (errs *gen.ClerkErrors, notFound bool) {
	var ve *gen.ValidationError
	if !errors.As(err, &ve) {
		return nil, false
	}
	if pathParam(ve.Operation, ve.Field) {
		return nil, true
	}
	if index, field, ok := bodyParam(ve.Field); ok && bodyBlank(ctx, index, field) {
		return clerkError(client.CodeParamMissing, "is missing", ve.Field+" must be given.", ve.Field), false
	}
	return clerkError(client.CodeParamValueInvalid, "is invalid", ve.Field+" "+ve.Reason+".", ve.Field), false
}

// pathParam reports whether field is a parameter of the path of the
// operation with this id.
func pathParam(operationID, field string) bool {
	for _, op := range gen.Operations {
		if op.ID == operationID {
			return strings.Contains(op.Path, "{"+field+"}")
		}
	}
	return false
}

// bodyParam splits a field as gen's checks name it, "role" or
// "[3].role", into the item of a list body (-1 for an object body) and
// the field's name. "body", the body as a whole, is no field.
func bodyParam(name string) (index int, field string, ok bool) {
	if name == "body" {
		return 0, "", false
	}
	rest, found := strings.CutPrefix(name, "[")
	if !found {
		return -1, name, true
	}
	n, field, found := strings.Cut(rest, "].")
	index, err := strconv.Atoi(n)
	if !found || err != nil {
		return 0, "", false
	}
	return index, field, true
}

// badRequest responds to a request the generated handler could not decode
// as Clerk would: 400, naming the query parameter or body field of the
// wrong type or form when it can (form_param_format_invalid), else saying
// the request is malformed.
func badRequest(w http.ResponseWriter, r *http.Request, err error) {
	if param, why := malformed(r, err); param != "" {
		writeClerkError(w, http.StatusBadRequest, clerkError(client.CodeParamFormatInvalid, "is invalid", param+" "+why+".", param))
		return
	}
	writeClerkError(w, http.StatusBadRequest, clerkError("malformed_request", "malformed request", err.Error(), ""))
}

// malformed names the query parameter or body field that err, from the
// generated handler, is about, and what is wrong with it; "" when err is
// about none.
func malformed(r *http.Request, err error) (param, why string) {
	var format *gen.InvalidParamFormatError
	var many *gen.TooManyValuesForParamError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &format):
		return format.ParamName, "is malformed: " + format.Err.Error()
	case errors.As(err, &many):
		return many.ParamName, "takes one value, not " + strconv.Itoa(many.Count)
	case errors.As(err, &typ) && typ.Field != "":
		kind, _, _ := strings.Cut(typ.Value, " ")
		raw, _ := r.Context().Value(rawKey{}).(*rawRequest)
		if raw == nil {
			return typ.Field, "cannot be a " + kind
		}
		return itemField(raw, typ.Field, kind), "cannot be a " + kind
	}
	return "", ""
}

// itemField names the field of a decoding error: in a list body, with the
// index of the first item whose field holds a value of the kind that
// failed ("[1].notify"), since encoding/json names no index.
func itemField(raw *rawRequest, field, kind string) string {
	raw.once.Do(raw.parse)
	name, _, _ := strings.Cut(field, ".")
	for i, item := range raw.objects {
		if value, ok := item[name]; ok && jsonKind(value) == kind {
			return fmt.Sprintf("[%d].%s", i, field)
		}
	}
	return field
}

// jsonKind names the kind of a JSON value as json.UnmarshalTypeError does.
func jsonKind(value json.RawMessage) string {
	s := strings.TrimSpace(string(value))
	switch {
	case s == "":
		return ""
	case s[0] == '"':
		return "string"
	case s[0] == '{':
		return "object"
	case s[0] == '[':
		return "array"
	case s == "true" || s == "false":
		return "bool"
	case s == "null":
		return "null"
	}
	return "number"
}
