<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" styleCategories="Symbology|Labeling" labelsEnabled="0">
  <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="150,80,180,200"/>
          <prop k="size" v="2.5"/>
          <prop k="size_unit" v="MM"/>
          <prop k="outline_color" v="40,40,40,255"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_style" v="solid"/>
          <data_defined_properties><Option type="Map"><Option name="name" value="" type="QString"/><Option name="properties" type="Map"><Option name="size" type="Map"><Option name="active" value="true" type="bool"/><Option name="expression" value="coalesce(scale_linear(log10(&quot;value&quot; + 1), 0, 7, 1.5, 6), 1.5)" type="QString"/><Option name="type" value="3" type="int"/></Option></Option><Option name="type" value="collection" type="QString"/></Option></data_defined_properties>
        </layer>
      </symbol>
    </symbols>
    <rotation/>
    <sizescale/>
  </renderer-v2>
  <layerGeometryType>0</layerGeometryType>
</qgis>
