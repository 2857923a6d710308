package client_test

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/gen"
)

// The completeness test holds the facade to what gen generates from the
// spec. When the spec gains an operation, a parameter, a body field or an
// enum value, `make generate` puts it in gen; this test then fails, naming
// it, until the facade exposes it or the table below says why it does not.
// Parameters and body fields reach users without an edit as long as the
// facade's parameter types are gen's own (the aliases of types.go): the test
// checks that they are.

// facadeMethods maps each operation the facade wraps to its Client method.
var facadeMethods = map[string]string{
	"ListInstanceOrganizationInvitations": "ListInstance",
	"CreateOrganizationInvitation":        "Create",
	"ListOrganizationInvitations":         "List",
	"CreateOrganizationInvitationBulk":    "BulkCreate",
	"GetOrganizationInvitation":           "Get",
	"RevokeOrganizationInvitation":        "Revoke",
	"ListPendingOrganizationInvitations":  "ListPending",
}

// leftOut names what the facade deliberately does not expose, and why.
// Operations are named by operationId, enum values as Type.value.
var leftOut = map[string]string{
	"OrganizationInvitationObject.organization_invitation": "the object field of a response always holds this value; " +
		"there is nothing to choose or compare, so no constant",
	"OrganizationInvitationWithPublicOrganizationDataObject.organization_invitation": "as OrganizationInvitationObject",
}

func TestFacadeExposesEveryOperation(t *testing.T) {
	g := parseGen(t)
	clientType := reflect.TypeFor[*client.Client]()
	var problems []string
	for _, op := range gen.Operations {
		name, wrapped := facadeMethods[op.ID]
		if !wrapped {
			if strings.TrimSpace(leftOut[op.ID]) == "" {
				problems = append(problems, "operation "+op.ID+" ("+op.Method+" "+op.Path+") has no Client method: "+
					"add one in invitations.go and to facadeMethods, or list it in leftOut with the reason")
			}
			continue
		}
		if leftOut[op.ID] != "" {
			problems = append(problems, "operation "+op.ID+" is both wrapped (by "+name+") and left out")
		}
		m, ok := clientType.MethodByName(name)
		if !ok {
			problems = append(problems, "operation "+op.ID+": facadeMethods names Client."+name+", which does not exist")
			continue
		}
		problems = append(problems, g.compareSignature(op, m)...)
		problems = append(problems, callsOperation(t, op, m)...)
	}
	for id := range facadeMethods {
		if !slices.ContainsFunc(gen.Operations, func(op *gen.Operation) bool { return op.ID == id }) {
			problems = append(problems, "facadeMethods names "+id+", which the spec no longer has")
		}
	}
	report(t, problems)
}

func TestFacadeExposesEveryEnumValue(t *testing.T) {
	g := parseGen(t)
	exposed := clientConstants(t, g)
	var problems []string
	for _, typeName := range reachableEnums(reflect.TypeFor[*client.Client]()) {
		for _, c := range g.enums[typeName] {
			key := typeName + "." + c.value
			switch {
			case exposed[typeName][c.value]:
			case strings.TrimSpace(leftOut[key]) != "":
			default:
				problems = append(problems, "enum value "+strconv.Quote(c.value)+" of "+typeName+" (gen."+c.name+
					") has no constant in package client: add one in types.go, or list "+key+" in leftOut with the reason")
			}
		}
	}
	report(t, problems)
}

// Every entry of leftOut names something that exists and says why.
func TestLeftOutIsCurrent(t *testing.T) {
	g := parseGen(t)
	var problems []string
	for key, reason := range leftOut {
		if strings.TrimSpace(reason) == "" {
			problems = append(problems, "leftOut["+key+"] gives no reason")
		}
		typeName, value, isEnum := strings.Cut(key, ".")
		switch {
		case isEnum && !slices.ContainsFunc(g.enums[typeName], func(c enumConst) bool { return c.value == value }):
			problems = append(problems, "leftOut names "+key+", which gen no longer has")
		case !isEnum && !slices.ContainsFunc(gen.Operations, func(op *gen.Operation) bool { return op.ID == key }):
			problems = append(problems, "leftOut names operation "+key+", which the spec no longer has")
		}
	}
	report(t, problems)
}

func report(t *testing.T, problems []string) {
	t.Helper()
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

// genSource is what the test reads from gen's source: the generated
// operation functions, type aliases and enum constants.
type genSource struct {
	funcs   map[string]*ast.FuncDecl
	aliases map[string]ast.Expr
	enums   map[string][]enumConst // by type name
}

type enumConst struct{ name, value string }

func parseGen(t *testing.T) *genSource {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "gen", "*.go"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	g := &genSource{funcs: map[string]*ast.FuncDecl{}, aliases: map[string]ast.Expr{}, enums: map[string][]enumConst{}}
	valid := map[string]bool{} // types with a Valid method: gen's enums
	var consts []struct{ typ, name, value string }
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					g.funcs[d.Name.Name] = d
				} else if d.Name.Name == "Valid" {
					valid[exprString(d.Recv.List[0].Type, nil)] = true
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if s.Assign.IsValid() {
							g.aliases[s.Name.Name] = s.Type
						}
					case *ast.ValueSpec:
						lit, ok := singleString(s)
						if d.Tok == token.CONST && ok && s.Type != nil {
							consts = append(consts, struct{ typ, name, value string }{exprString(s.Type, nil), s.Names[0].Name, lit})
						}
					}
				}
			}
		}
	}
	for _, c := range consts {
		if valid[c.typ] {
			g.enums[c.typ] = append(g.enums[c.typ], enumConst{c.name, c.value})
		}
	}
	return g
}

func singleString(s *ast.ValueSpec) (string, bool) {
	if len(s.Names) != 1 || len(s.Values) != 1 {
		return "", false
	}
	lit, ok := s.Values[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}

// exprString writes a type expression as reflectName does, following gen's
// aliases when it is given them.
func exprString(e ast.Expr, aliases map[string]ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		if target, ok := aliases[e.Name]; ok {
			return exprString(target, aliases)
		}
		return e.Name
	case *ast.StarExpr:
		return "*" + exprString(e.X, aliases)
	case *ast.ArrayType:
		return "[]" + exprString(e.Elt, aliases)
	case *ast.SelectorExpr:
		return exprString(e.X, nil) + "." + e.Sel.Name
	case *ast.MapType:
		return "map[" + exprString(e.Key, aliases) + "]" + exprString(e.Value, aliases)
	case *ast.InterfaceType:
		return "any"
	}
	return "?"
}

// reflectName writes a type as exprString does: gen's types by their bare
// names, others with their package.
func reflectName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + reflectName(t.Elem())
	case reflect.Slice:
		return "[]" + reflectName(t.Elem())
	case reflect.Map:
		return "map[" + reflectName(t.Key()) + "]" + reflectName(t.Elem())
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "any"
		}
	}
	if strings.HasSuffix(t.PkgPath(), "/gen") || t.PkgPath() == "" {
		return t.Name()
	}
	return t.String()
}

// compareSignature holds a Client method to gen's function of the same
// operation: the same arguments (ids, parameters, body) of the same types,
// and the same result.
func (g *genSource) compareSignature(op *gen.Operation, m reflect.Method) []string {
	fn, ok := g.funcs[op.ID]
	if !ok {
		return []string{"gen has no function " + op.ID}
	}
	var want []string // gen's arguments after ctx and the Caller
	for _, field := range fn.Type.Params.List {
		for range max(len(field.Names), 1) {
			want = append(want, exprString(field.Type, g.aliases))
		}
	}
	want = want[2:]
	var wantOut []string
	for _, field := range fn.Type.Results.List {
		wantOut = append(wantOut, exprString(field.Type, g.aliases))
	}

	mt := m.Type // receiver, ctx, arguments..., opts
	var got, gotOut []string
	for i := 2; i < mt.NumIn()-1; i++ {
		got = append(got, reflectName(mt.In(i)))
	}
	for i := range mt.NumOut() {
		gotOut = append(gotOut, reflectName(mt.Out(i)))
	}
	var problems []string
	if !mt.IsVariadic() || mt.In(mt.NumIn()-1) != reflect.TypeFor[[]client.Option]() {
		problems = append(problems, "Client."+m.Name+" must end with opts ...Option")
	}
	if !slices.Equal(got, want) {
		problems = append(problems, "Client."+m.Name+" takes ("+strings.Join(got, ", ")+") but gen."+op.ID+
			" takes ("+strings.Join(want, ", ")+"): give the method gen's parameter and body types, so that every parameter and field is exposed")
	}
	if !slices.Equal(gotOut, wantOut) {
		problems = append(problems, "Client."+m.Name+" returns ("+strings.Join(gotOut, ", ")+") but gen."+op.ID+
			" returns ("+strings.Join(wantOut, ", ")+")")
	}
	return problems
}

// callsOperation calls the method with empty ids and zero parameters, and
// checks that what it did belongs to op: either the request it sent has
// op's method and route, or gen refused the arguments in op's name.
func callsOperation(t *testing.T, op *gen.Operation, m reflect.Method) []string {
	rec := newRecorder(t, reply(http.StatusOK, invitationJSON))
	c := rec.client(client.WithoutRetries())
	args := []reflect.Value{reflect.ValueOf(c), reflect.ValueOf(context.Background())}
	for i := 2; i < m.Type.NumIn()-1; i++ {
		args = append(args, reflect.Zero(m.Type.In(i)))
	}
	out := m.Func.Call(args)
	err, _ := out[len(out)-1].Interface().(error)

	if reqs := rec.requests(); len(reqs) > 0 {
		pattern := http.NewServeMux()
		pattern.Handle(op.Method+" /v1"+op.Path, http.NotFoundHandler())
		req, _ := http.NewRequest(reqs[0].Method, "http://x"+reqs[0].Path, nil)
		if _, matched := pattern.Handler(req); matched == "" {
			return []string{"Client." + m.Name + " sent " + reqs[0].Method + " " + reqs[0].Path + ", not " + op.Method + " " + op.Path}
		}
		return nil
	}
	var v *client.ValidationError
	if errors.As(err, &v) && v.Operation == op.ID {
		return nil
	}
	return []string{"Client." + m.Name + " did not call " + op.ID + " (error: " + errString(err) + ")"}
}

func errString(err error) string {
	if err == nil {
		return "none"
	}
	return err.Error()
}

// reachableEnums lists gen's enum types that the facade's methods take or
// return, directly or inside structs, slices, maps and pointers.
func reachableEnums(root reflect.Type) []string {
	seen := map[reflect.Type]bool{}
	enums := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(t.Elem())
		case reflect.Map:
			walk(t.Key())
			walk(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				if t.Field(i).IsExported() {
					walk(t.Field(i).Type)
				}
			}
		case reflect.Func:
			for i := range t.NumIn() {
				walk(t.In(i))
			}
			for i := range t.NumOut() {
				walk(t.Out(i))
			}
		case reflect.String:
			if _, ok := t.MethodByName("Valid"); ok && strings.HasSuffix(t.PkgPath(), "/gen") {
				enums[t.Name()] = true
			}
		}
	}
	for i := range root.NumMethod() {
		walk(root.Method(i).Type)
	}
	names := make([]string, 0, len(enums))
	for name := range enums {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// clientConstants reads package client's constants of gen's enum types,
// by type and value: those written as gen.Name (resolved through gen's
// constants) and those written as string literals.
func clientConstants(t *testing.T, g *genSource) map[string]map[string]bool {
	t.Helper()
	genValue := map[string]string{}
	genType := map[string]string{}
	for typ, cs := range g.enums {
		for _, c := range cs {
			genValue[c.name], genType[c.name] = c.value, typ
		}
	}
	aliasTarget := map[string]string{} // client type name -> gen type name
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	type constDecl struct{ typ, genName, literal string }
	var decls []constDecl
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if sel, ok := s.Type.(*ast.SelectorExpr); ok && s.Assign.IsValid() {
						aliasTarget[s.Name.Name] = sel.Sel.Name
					}
				case *ast.ValueSpec:
					if d.Tok != token.CONST || len(s.Values) != len(s.Names) {
						continue
					}
					for _, v := range s.Values {
						cd := constDecl{}
						if s.Type != nil {
							cd.typ = exprString(s.Type, nil)
						}
						switch v := v.(type) {
						case *ast.SelectorExpr:
							cd.genName = v.Sel.Name
						case *ast.BasicLit:
							cd.literal, _ = strconv.Unquote(v.Value)
						}
						decls = append(decls, cd)
					}
				}
			}
		}
	}
	exposed := map[string]map[string]bool{}
	add := func(typ, value string) {
		if exposed[typ] == nil {
			exposed[typ] = map[string]bool{}
		}
		exposed[typ][value] = true
	}
	for _, d := range decls {
		if v, ok := genValue[d.genName]; ok {
			add(genType[d.genName], v)
		} else if target, ok := aliasTarget[d.typ]; ok && d.literal != "" {
			add(target, d.literal)
		}
	}
	return exposed
}

// A method that wraps an operation the spec deprecates says so in a
// "Deprecated:" paragraph, as Go's tools expect (staticcheck then warns its
// callers); so does its iterator, when it has one.
func TestDeprecatedOperationsAreMarked(t *testing.T) {
	docs, _ := clientDocs(t)
	var problems []string
	for _, op := range gen.Operations {
		name, wrapped := facadeMethods[op.ID]
		if !wrapped {
			continue
		}
		for _, method := range []string{name, name + "All"} {
			doc, ok := docs[method]
			if !ok {
				continue // no iterator
			}
			marked := strings.Contains("\n"+doc, "\nDeprecated: ")
			if marked != op.Deprecated {
				problems = append(problems, method+" wraps "+op.ID+" (deprecated: "+strconv.FormatBool(op.Deprecated)+
					") but its doc comment's Deprecated paragraph says "+strconv.FormatBool(marked))
			}
		}
	}
	report(t, problems)
}

// Every field a caller fills in is described in the doc comment of the
// facade's own name for its type, so that `go doc client.ListParams` tells
// what each field does, its bounds and its default (the aliases would
// otherwise show nothing of gen's field comments). A field the spec adds
// fails here until it is described.
func TestParamFieldsAreDocumented(t *testing.T) {
	_, docs := clientDocs(t)
	params := map[string]reflect.Type{
		"CreateParams":       reflect.TypeFor[client.CreateParams](),
		"ListParams":         reflect.TypeFor[client.ListParams](),
		"ListInstanceParams": reflect.TypeFor[client.ListInstanceParams](),
		"ListPendingParams":  reflect.TypeFor[client.ListPendingParams](),
		"RevokeParams":       reflect.TypeFor[client.RevokeParams](),
	}
	var problems []string
	for name, typ := range params {
		for f := range typ.Fields() {
			if !strings.Contains(docs[name], f.Name+":") && !strings.Contains(docs[name], f.Name+",") {
				problems = append(problems, "the doc comment of client."+name+" does not describe its field "+f.Name+
					" (a list item \"- "+f.Name+": what it does, its bounds, its default\")")
			}
		}
	}
	report(t, problems)
}

// clientDocs reads the doc comments of package client's own source: of its
// methods, and of its types, by name.
func clientDocs(t *testing.T) (methods, types map[string]string) {
	t.Helper()
	methods, types = map[string]string{}, map[string]string{}
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil && d.Doc != nil {
					methods[d.Name.Name] = d.Doc.Text()
				}
			case *ast.GenDecl:
				if d.Tok == token.TYPE && d.Doc != nil {
					for _, spec := range d.Specs {
						types[spec.(*ast.TypeSpec).Name.Name] = d.Doc.Text()
					}
				}
			}
		}
	}
	return methods, types
}
